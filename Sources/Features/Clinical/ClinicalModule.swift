import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

extension PermissionAction {
    /// Allergies are safety information: everyone who sees a patient sees them; clinicians record and change them.
    package static let allergiesWrite = PermissionAction("patients.allergies.write", doing: "record allergies")
    /// Clinical content (problems, visit notes, diagnoses, clinical documents): clinicians and admins read and write
    /// it, managers read it, the front desk does not see it.
    package static let clinicalRead = PermissionAction("clinical.read", doing: "read visit notes and problems")
    package static let clinicalWrite = PermissionAction("clinical.write", doing: "write visit notes and problems")
}

/// The clinical record, part of patients (switched on with it, its pages beside patients'): the chart, allergies and
/// "no known allergies", problems with ICD-10 codes, the allergy check every prescribing and dispensing page asks, who
/// opened a chart, and the import of a patient list with its allergies and problems. Its tables were made by
/// patients' steps (`PatientsHistorySteps`); new ones take the `clinical.` namespace.
package struct ClinicalModule: FeatureModule {
    package let id = "clinical"
    package let partOf: String? = "patients"
    package let domains = Set(TenantDomain.allCases)
    package let summary = "the chart: allergies, problems and the allergy check"
    package let actions: [PermissionAction: Set<Role>] = [
        .allergiesWrite: [.clinician],
        .clinicalRead: [.manager, .clinician],
        .clinicalWrite: [.clinician],
    ]
    package let migrations: [TenantSchema.Step] = []

    package func chartPage(_ pages: ModulePages) -> (any ChartPage)? { ClinicalPages(pages: pages) }

    package init() {}
}
