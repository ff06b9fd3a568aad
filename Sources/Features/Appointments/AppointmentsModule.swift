import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

extension PermissionAction {
    package static let appointmentsRead = PermissionAction("appointments.read", doing: "see appointments")
    package static let appointmentsWrite = PermissionAction("appointments.write", doing: "book and change appointments")
    package static let appointmentsBranch = PermissionAction("appointments.branch", doing: "book at any branch")
}

/// Bookings of a patient with a practitioner in a branch, listed by day and week in the tenant's time zone.
package struct AppointmentsModule: FeatureModule {
    package let id = "appointments"
    package let domains: Set<TenantDomain> = [.clinic, .dental, .general, .pharmacy]
    package let dependencies = ["patients"]
    package let summary = "bookings per practitioner and branch"
    package let actions: [PermissionAction: Set<Role>] = [
        .appointmentsRead: [.manager, .clinician, .staff],
        .appointmentsWrite: [.manager, .clinician, .staff],
    ]

    package let migrations = [
        TenantSchema.Step(id: "appointments.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE appointments (
                        id INTEGER PRIMARY KEY,
                        patient_id INTEGER NOT NULL REFERENCES patients (id),
                        practitioner_id INTEGER NOT NULL REFERENCES users (id),
                        branch TEXT NOT NULL,
                        starts_at TEXT NOT NULL,
                        ends_at TEXT NOT NULL,
                        local_start TEXT NOT NULL,
                        local_date TEXT NOT NULL,
                        duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
                        reason TEXT,
                        status TEXT NOT NULL CHECK (status IN ('scheduled', 'checked_in', 'completed', 'cancelled', 'no_show')),
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX appointments_by_practitioner ON appointments (practitioner_id, starts_at);
                    CREATE INDEX appointments_by_branch_day ON appointments (branch, local_date, starts_at);
                    CREATE INDEX appointments_by_start ON appointments (starts_at);
                    CREATE INDEX appointments_by_patient ON appointments (patient_id, starts_at);
                    """
            )
        },
        TenantSchema.Step(id: "appointments.v2") { db, _ in
            try db.execute(sql: "ALTER TABLE appointments ADD COLUMN cancel_reason TEXT; ALTER TABLE appointments ADD COLUMN cancelled_at TEXT")
        },
    ]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Appointments", action: .appointmentsRead)

    /// Today's appointments in the user's branches, in time order.
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        guard context.allows(.appointmentsRead) else { return [] }
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let base = context.basePath
        var conditions = SQLConditions()
        conditions.add("appointments.local_date = ?", [today])
        if let only = context.user.branchFilter { conditions.add(column: "appointments.branch", in: only) }
        let sql = """
            SELECT appointments.id, appointments.version, appointments.local_start, appointments.status, patients.first_name, patients.last_name,
                users.display_name FROM appointments \(AppointmentsAPI.joins) \(conditions.whereClause) ORDER BY appointments.starts_at LIMIT 10
            """
        let arguments = conditions.arguments
        let lines = try await context.storage.database().readStatement { db in
            try db.fetchAllCached(sql, arguments).map { row in
                DashboardCard.Line(
                    text: "\((row["local_start"] as String).suffix(5)) \(row["first_name"] as String) \(row["last_name"] as String)",
                    detail: "\(row["display_name"] as String) · \((row["status"] as String).replacingOccurrences(of: "_", with: " "))",
                    href: "\(base)/appointments?date=\(today)",
                    record: nil  // shows the patient's name too
                )
            }
        }
        return [
            DashboardCard(
                title: "Today's appointments",
                kind: "appointments",
                lines: lines,
                empty: "No appointments today.",
                moreHref: base + "/appointments",
                moreLabel: "All of today's appointments"
            )
        ]
    }

    package var chart: ChartContribution {
        ChartContribution(actions: [PatientAction(label: "Book", path: "new", action: .appointmentsWrite)], timeline: timelineSources)
    }

    package init() {}
}

/// The life of an appointment: booked, the patient arrives, is seen; or it is cancelled or missed.
package enum AppointmentStatus: String, CaseIterable {
    case scheduled
    case checkedIn = "checked_in"
    case completed, cancelled
    case noShow = "no_show"

    package var next: [AppointmentStatus] {
        switch self {
        case .scheduled: [.checkedIn, .cancelled, .noShow]
        case .checkedIn: [.completed, .cancelled]
        case .completed, .cancelled, .noShow: []
        }
    }

    /// Statuses that hold the practitioner's time.
    package static let occupying = "('scheduled', 'checked_in', 'completed')"
}
