import GRDB
import Hummingbird

extension PermissionAction {
    /// Signing locks a visit; only its own practitioner does it (checked by the handler), and only clinicians and admins.
    static let visitsSign = PermissionAction("visits.sign", doing: "sign visits")
}

/// Consultations: a practitioner's SOAP notes, vitals and diagnoses for one patient at one branch, optionally from a
/// checked-in appointment, signed once and corrected afterwards only by addenda. Clinical content: the actions are
/// the patients module's `clinical.read` and `clinical.write`.
struct VisitsModule: FeatureModule {
    let id = "visits"
    let domains: Set<TenantDomain> = [.clinic, .dental, .general]
    let dependencies = ["patients"]
    let summary = "visits: SOAP notes, vitals and diagnoses, signed and corrected by addenda"
    let actions: [PermissionAction: Set<Role>] = [.visitsSign: [.clinician]]
    let migrations = [VisitSchema.step, VisitSchema.diagnosisOwnerStep, VisitSchema.mergeStep, VisitSchema.enteredLaterStep]

    static let appointmentsAdd = "a visit can start from a checked-in appointment"
    static let prescriptionsAdd = "a visit's page writes prescriptions linked to it and lists them"
    let optionalDependencies = ["appointments": appointmentsAdd, "prescriptions": prescriptionsAdd]

    let navigation: ModuleNavigation? = ModuleNavigation(label: "Visits", action: .clinicalRead)

    var chart: ChartContribution {
        ChartContribution(
            actions: [PatientAction(label: "Start visit", path: "new", action: .clinicalWrite)],
            timeline: timelineSources,
            panels: chartPanels
        )
    }
}
