import GRDB
import Hummingbird

/// Patient records: every domain has them, and most other modules point at them.
struct PatientsModule: FeatureModule {
    let id = "patients"
    let domains = Set(TenantDomain.allCases)
    let summary = "patient records"
    let actions: [String: Set<Role>] = [
        "patients.read": [.manager, .clinician, .staff],
        "patients.write": [.manager, .clinician, .staff],
    ]

    let migrations = [
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
        }
    ]

    func registerRoutes(on group: RouterGroup<AuthenticatedContext>) {
        PatientRoutes().register(on: group)
    }
}

/// How a patient reads in the API, built by SQLite so list pages need no per-row decoding in Swift.
enum PatientJSON {
    static let object = """
        json_object('id', patients.id, 'number', patients.number, 'first_name', patients.first_name, 'last_name', patients.last_name,
            'date_of_birth', patients.date_of_birth, 'sex', patients.sex, 'phone', patients.phone, 'email', patients.email,
            'address', patients.address, 'allergies', patients.allergies, 'notes', patients.notes,
            'active', json(CASE patients.active WHEN 1 THEN 'true' ELSE 'false' END), 'version', patients.version,
            'created_at', patients.created_at, 'updated_at', patients.updated_at)
        """

    /// One patient as JSON text, or a `404`.
    static func fetch(_ db: Database, id: Int64) throws -> String {
        guard let json = try db.fetchCached(String.self, "SELECT \(object) FROM patients WHERE id = ?", [id]) else {
            throw RecordChanges.notFound("patient")
        }
        return json
    }
}
