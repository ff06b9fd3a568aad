import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

extension PermissionAction {
    package static let treatmentsRead = PermissionAction("treatments.read", doing: "see treatment plans")
    package static let treatmentsWrite = PermissionAction("treatments.write", doing: "change treatment plans")
}

/// Dental treatment plans: procedures per tooth (FDI notation) and surface, planned then done, with fees and
/// totals, chosen from the tenant's procedures or written in; the odontogram on the chart.
package struct TreatmentsModule: FeatureModule {
    package let id = "treatments"
    package let domains: Set<TenantDomain> = [.dental]
    package let dependencies = ["patients"]
    package let summary = "dental treatment plans per tooth"
    package let actions: [PermissionAction: Set<Role>] = [
        .treatmentsRead: [.manager, .clinician],
        .treatmentsWrite: [.manager, .clinician],
    ]

    package let migrations = [
        TenantSchema.Step(id: "treatments.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE treatments (
                        id INTEGER PRIMARY KEY,
                        patient_id INTEGER NOT NULL REFERENCES patients (id),
                        tooth INTEGER,
                        procedure TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('planned', 'done')),
                        fee INTEGER NOT NULL CHECK (fee >= 0),
                        notes TEXT,
                        clinician_id INTEGER REFERENCES users (id),
                        done_on TEXT,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX treatments_by_patient ON treatments (patient_id, id);
                    CREATE INDEX treatments_by_done ON treatments (done_on);
                    """
            )
        },
        // The chart's timeline reads a patient's treatments newest first, from an index, however many there are.
        TenantSchema.Step(id: "treatments.v2") { db, _ in
            try db.execute(sql: "CREATE INDEX treatments_by_patient_time ON treatments (patient_id, created_at)")
        },
        // The surfaces of the tooth a treatment covers (`MOD`, in the order M O D B L), and the code of the procedure
        // chosen from the tenant's list, kept for the price list billing brings.
        TenantSchema.Step(id: "treatments.v3") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE treatments ADD COLUMN surfaces TEXT CHECK (surfaces IS NULL OR (length(surfaces) BETWEEN 1 AND 5 AND surfaces NOT GLOB '*[^MODBL]*'));
                    ALTER TABLE treatments ADD COLUMN procedure_code TEXT;
                    """
            )
        },
    ]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Treatments", action: .treatmentsRead)

    package var chart: ChartContribution {
        ChartContribution(
            actions: [PatientAction(label: "Treatment plan", path: "", action: .treatmentsRead)],
            timeline: timelineSources,
            panels: chartPanels
        )
    }

    /// A treatment marked done is billed at the fee on the plan, under its procedure's code.
    package var billables: [BillableSource] {
        [
            BillableSource(
                kind: "treatment",
                query: """
                    SELECT id, done_on, procedure || coalesce(' (tooth ' || tooth || coalesce(' ' || surfaces, '') || ')', ''), fee, procedure_code, NULL
                    FROM treatments WHERE patient_id = :patient AND status = 'done'
                    """
            )
        ]
    }

    package init() {}
}

/// FDI (ISO 3950) tooth numbers: quadrant then position; 11–48 permanent, 51–85 primary teeth.
package enum FDITooth {
    package static func isValid(_ number: Int64) -> Bool {
        let (quadrant, position) = (number / 10, number % 10)
        switch quadrant {
        case 1...4: return (1...8).contains(position)
        case 5...8: return (1...5).contains(position)
        default: return false
        }
    }
}
