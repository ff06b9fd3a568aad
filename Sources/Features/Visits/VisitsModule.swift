import ClinicBoxCore
import Clinical
import GRDB
import Hummingbird
import Patients
import Prescriptions
import Treatments

extension PermissionAction {
    /// Signing locks a visit; only its own practitioner does it (checked by the handler), and only clinicians and admins.
    package static let visitsSign = PermissionAction("visits.sign", doing: "sign visits")
}

/// Consultations: a practitioner's SOAP notes, vitals and diagnoses for one patient at one branch, optionally from a
/// checked-in appointment, signed once and corrected afterwards only by addenda. Clinical content: the actions are
/// the patients module's `clinical.read` and `clinical.write`.
package struct VisitsModule: FeatureModule {
    package let id = "visits"
    package let domains: Set<TenantDomain> = [.clinic, .dental, .general]
    package let dependencies = ["patients"]
    package let summary = "visits: SOAP notes, vitals and diagnoses, signed and corrected by addenda"
    package let actions: [PermissionAction: Set<Role>] = [.visitsSign: [.clinician]]
    package let migrations = [VisitSchema.step, VisitSchema.diagnosisOwnerStep, VisitSchema.mergeStep, VisitSchema.enteredLaterStep]

    package static let appointmentsAdd = "a visit can start from a checked-in appointment"
    package static let prescriptionsAdd = "a visit's page writes prescriptions linked to it and lists them"
    package let optionalDependencies = ["appointments": appointmentsAdd, "prescriptions": prescriptionsAdd]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Visits", action: .clinicalRead)

    package var chart: ChartContribution {
        ChartContribution(
            actions: [PatientAction(label: "Start visit", path: "new", action: .clinicalWrite)],
            timeline: timelineSources,
            panels: chartPanels
        )
    }

    /// A signed visit is billed as one of the clinic's consultation types, chosen when it is billed.
    package var billables: [BillableSource] {
        [
            BillableSource(
                kind: "visit",
                pricedBy: "consultation",
                query: """
                    SELECT id, visit_date, 'Visit ' || number || ' with ' || practitioner_name, NULL, NULL, branch
                    FROM visits WHERE patient_id = :patient AND status = 'signed'
                    """
            )
        ]
    }

    package init() {}
}
