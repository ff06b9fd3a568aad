import ClinicBoxCore
import GRDB
import Hummingbird

extension PermissionAction {
    package static let patientsRead = PermissionAction("patients.read", doing: "see patients")
    package static let patientsWrite = PermissionAction("patients.write", doing: "register and change patients")
    /// Bringing a file of patients in: admins only, as a whole practice's records arrive at once (the page is the
    /// clinical part's, as it files allergies and problems too).
    package static let patientsImport = PermissionAction("patients.import", doing: "import patients")
    /// A patient's own copy of their whole record (`PatientExport`): clinicians and admins.
    package static let patientsExport = PermissionAction("patients.export", doing: "give patients a copy of their record")
}

/// Patient records: registration, search, duplicates and merging. Every domain has them and most other modules point
/// at them; the chart and the clinical record (`clinical`) and documents (`documents`) are parts that come with them.
package struct PatientsModule: FeatureModule {
    package let id = "patients"
    package let domains = Set(TenantDomain.allCases)
    package let summary = "patient records"
    package let actions: [PermissionAction: Set<Role>] = [
        .patientsRead: [.manager, .clinician, .staff],
        .patientsWrite: [.manager, .clinician, .staff],
        .patientsMerge: [.clinician],
        .patientsImport: [],
        .patientsExport: [.clinician],
    ]

    package let migrations = [
        TenantSchema.Step(id: "patients.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE patients (
                        id INTEGER PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        first_name TEXT NOT NULL,
                        last_name TEXT NOT NULL,
                        date_of_birth TEXT,
                        sex TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')),
                        phone TEXT,
                        email TEXT,
                        address TEXT,
                        allergies TEXT,
                        notes TEXT,
                        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        sort_name TEXT NOT NULL,
                        phone_digits TEXT,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX patients_by_name ON patients (sort_name);
                    CREATE INDEX patients_by_created ON patients (created_at);
                    CREATE INDEX patients_by_birth ON patients (date_of_birth);
                    CREATE INDEX patients_by_phone ON patients (phone_digits);
                    """
            )
        },
        PatientJSON.refresh(stepID: "patients.v2"),
        PatientSearch.migration,
        PatientSearch.dropWordsByPatient,
        PatientsHistorySteps.clinicalTables,
        PatientJSON.refresh(stepID: "patients.v6"),  // the API no longer shows the free-text allergies
        PatientsHistorySteps.documentTables,
        PatientsHistorySteps.documentWithdrawals,
        PatientsHistorySteps.documentBranches,
        PatientMerge.step,
        PatientsHistorySteps.clinicalNotedOn,
        // Patients brought in from another system keep that system's number, found again by an index.
        TenantSchema.Step(id: "patients.v12") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE patients ADD COLUMN source_number TEXT;
                    CREATE INDEX patients_by_source_number ON patients (source_number) WHERE source_number IS NOT NULL;
                    """
            )
        },
        PatientJSON.refresh(stepID: "patients.v13"),  // the API shows source_number
    ]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Patients", action: .patientsRead)

    /// The patients registered most recently, for the front desk to pick up where it left off.
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        guard context.allows(.patientsRead) else { return [] }
        let base = context.basePath
        let lines = try await context.storage.database().readStatement { db in
            try db.fetchAllCached("SELECT id, version, number, first_name, last_name FROM patients ORDER BY id DESC LIMIT 5").map { row in
                DashboardCard.Line(
                    text: "\(row["first_name"] as String) \(row["last_name"] as String)",
                    detail: row["number"],
                    href: "\(base)/patients/\(row["id"] as Int64)",
                    record: (row["id"], row["version"])
                )
            }
        }
        return [
            DashboardCard(
                title: "Recently registered patients",
                kind: "patients",
                lines: lines,
                empty: "No patients yet.",
                moreHref: base + "/patients",
                moreLabel: "All patients"
            )
        ]
    }

    package var chart: ChartContribution { ChartContribution(sections: [mergedRecords]) }

    package init() {}
}
