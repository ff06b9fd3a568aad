import GRDB
import Hummingbird

/// Bookings of a patient with a practitioner in a branch, listed by day and week in the tenant's time zone.
struct AppointmentsModule: FeatureModule {
    let id = "appointments"
    let domains: Set<TenantDomain> = [.clinic, .dental, .general, .pharmacy]
    let dependencies = ["patients"]
    let summary = "bookings per practitioner and branch"
    let actions: [String: Set<Role>] = [
        "appointments.read": [.manager, .clinician, .staff],
        "appointments.write": [.manager, .clinician, .staff],
    ]

    let migrations = [
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
        }
    ]

    func registerRoutes(on group: RouterGroup<AuthenticatedContext>) {
        AppointmentRoutes().register(on: group)
    }
}

/// The life of an appointment: booked, the patient arrives, is seen; or it is cancelled or missed.
enum AppointmentStatus: String, CaseIterable {
    case scheduled, checkedIn = "checked_in", completed, cancelled, noShow = "no_show"

    var next: [AppointmentStatus] {
        switch self {
        case .scheduled: [.checkedIn, .cancelled, .noShow]
        case .checkedIn: [.completed, .cancelled]
        case .completed, .cancelled, .noShow: []
        }
    }

    /// Statuses that hold the practitioner's time.
    static let occupying = "('scheduled', 'checked_in', 'completed')"
}
