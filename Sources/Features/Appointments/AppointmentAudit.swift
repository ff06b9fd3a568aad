import ClinicBoxCore
import Patients

extension AppointmentsModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "appointment",
                label: "Appointments",
                verbs: ["appointments.create": "booked {}", "appointments.update": "changed the appointment of {}"],
                verbForChanges: { action, changes in
                    guard action == "appointments.update" else { return nil }
                    if changes.values["starts_at"] != nil { return "moved the appointment of {}" }
                    switch changes.after("status") {
                    case "checked_in": return "checked in {}"
                    case "completed": return "marked as seen {}"
                    case "no_show": return "marked as not attended {}"
                    case "cancelled": return "cancelled the appointment of {}"
                    case "scheduled": return "restored the appointment of {}"
                    default: return nil
                    }
                },
                userFields: ["practitioner_id"],
                // "Hans Müller (P-000001) for 1 Dec 2026, 10:30": who and when, as the desk says it.
                names: AuditRecordKind.names(
                    select: "appointments.local_start, patients.number, patients.first_name, patients.last_name",
                    from: "appointments JOIN patients ON patients.id = appointments.patient_id",
                    idColumn: "appointments.id",
                    name: { row, tenant in "\(AuditRecordKind.patientName(row)) for \(tenant.readableTime.moment(row["local_start"]))" },
                    path: { row in "/appointments/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
