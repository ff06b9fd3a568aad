import ClinicBoxCore
import Clinical
import GRDB
import Patients

extension PermissionAction {
    /// Filing a scan or photo to a patient: clinicians file clinical ones, the front desk files non-clinical ones
    /// (an ID card, an insurance card, a referral letter's cover).
    package static let documentsWrite = PermissionAction("patients.documents.write", doing: "file documents to a chart")
}

/// Scans and photos filed to a patient or a visit, part of patients (switched on with it): kept in the tenant's
/// own file, append-only, withdrawn but never removed, each download audited. Its tables were made by patients'
/// steps (`PatientsHistorySteps`); new ones take the `documents.` namespace.
package struct DocumentsModule: FeatureModule {
    package let id = "documents"
    package let partOf: String? = "patients"
    package let domains = Set(TenantDomain.allCases)
    package let summary = "scans and photos filed to a chart"
    package let actions: [PermissionAction: Set<Role>] = [.documentsWrite: [.clinician, .staff]]
    package let migrations: [TenantSchema.Step] = []

    package var chart: ChartContribution { ChartContribution(timeline: timelineSources, sections: [chartSection]) }

    package init() {}
}
