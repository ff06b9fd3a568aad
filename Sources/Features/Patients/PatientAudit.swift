import ClinicBoxCore
import GRDB

extension PatientsModule {
    /// What a chart view is logged as (by `ChartViews` of the clinical part), on the patient's record.
    package static let chartViewed = "patients.chart_viewed"

    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "patient",
                label: "Patients",
                verbs: [
                    "patients.create": "registered {}", "patients.update": "changed the details of {}",
                    "patients.registered_despite_duplicates": "registered {} although they may already have been registered",
                    "patients.merged_into": "merged {} into another record", "patients.merged_from": "merged a duplicate record into {}",
                    Self.chartViewed: "read the record of {}",
                    "patients.no_known_allergies": "recorded that {} has no known allergies",
                    "patients.document_filed": "filed a document in the record of {}",
                    "patients.document_withdrawn": "withdrew a document from the record of {}",
                    "patients.exported": "gave {} a copy of their record",
                    EmergencyAccess.opened: "opened the whole chart of {} in an emergency",
                    EmergencyAccess.reviewed: "reviewed an emergency access to the chart of {}",
                ],
                verbForChanges: { action, changes in
                    switch action {
                    case Self.chartViewed: Self.viewVerb(changes.after("what"))
                    case "patients.no_known_allergies" where changes.before("no_known_allergies") != nil:
                        "withdrew “no known allergies” from {}"
                    default: nil
                    }
                },
                flagFields: ["active"],
                names: AuditRecordKind.names(
                    select: "number, first_name, last_name",
                    from: "patients",
                    idColumn: "id",
                    name: { row, _ in AuditRecordKind.patientName(row) },
                    path: { row in "/patients/\(row["audit_id"] as Int64)" }
                ),
                findByNumber: ("Patient number", { db, number in try PatientSearch.id(number: number, db) })
            )
        ]
    }

    /// A chart view in words from what was seen (`ChartViews`): "opened the chart of {}", "read the record of {}:
    /// visit V-000003".
    package static func viewVerb(_ what: String?) -> String {
        switch what {
        case "chart", nil: "opened the chart of {}"
        case "chart header": "opened the details (not the clinical record) of {}"
        case "chart (emergency access)": "read the whole chart of {} in an emergency"
        case let what?: "read the record of {}: \(what)"
        }
    }
}

extension AuditRecordKind {
    /// A patient as people say it: `Hans Müller (P-000001)`, from the `first_name`, `last_name` and `number`
    /// columns of a row that selected them.
    package static func patientName(_ row: Row, prefix: String = "") -> String {
        "\(row[prefix + "first_name"] as String? ?? "") \(row[prefix + "last_name"] as String? ?? "") (\(row[prefix + "number"] as String? ?? ""))"
    }
}
