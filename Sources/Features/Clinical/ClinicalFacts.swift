import ClinicBoxCore
import GRDB
import Patients

/// What allergies and problems share: the day a fact was noted, and who recorded it.
package enum ClinicalFacts {
    /// Refuses a `noted_on` after `today`: a fact brought in from the history was noted before it is entered.
    package static func checkNotedOn(_ values: RecordValues, _ request: inout RequestFields, today: CalendarDate) {
        if request.has("noted_on"), let noted = values.text("noted_on").flatMap(CalendarDate.init), noted > today {
            request.fail("noted_on", "must not be in the future")
        }
    }

    /// "noted 3 Mar 2019, entered later by Dr Amina Njoroge, 7 Dec 2026, 09:12", or who recorded it and when.
    package static func recorded(noted: String?, by name: String, at created: String, time: ReadableTime) -> String {
        guard let noted = noted.flatMap(CalendarDate.init), noted.description < String(created.prefix(10)) else {
            return "\(name), \(time.moment(created))"
        }
        return "noted \(ReadableTime.day(noted)), entered later by \(name), \(time.moment(created))"
    }
}

/// Who records or changes a fact of which patient, and when: what every write of an allergy or problem needs.
package struct FactWriter: Sendable {
    package var patient: Int64
    package var today: CalendarDate
    package var user: AuthenticatedUser
    package var actor: AuditActor

    package init(patient: Int64, today: CalendarDate, user: AuthenticatedUser, actor: AuditActor) {
        self.patient = patient
        self.today = today
        self.user = user
        self.actor = actor
    }

    /// The writer of the request's patient (`{id}` in its path).
    package init(_ context: some SignedInContext) throws {
        self.init(
            patient: try context.recordID(entity: "patient"),
            today: CalendarDate.today(in: context.tenant.timeZone),
            user: context.user,
            actor: context.actor
        )
    }

    /// Inserts a new entry of `values` for the patient, naming who recorded it as their name reads today.
    func insert(_ db: Database, _ values: RecordValues, into changes: RecordChanges, action: String) throws -> Int64 {
        let recorder = try user.nameAsRecorded(db)
        return try changes.insert(
            db,
            [("patient_id", patient.databaseValue)] + values.columns + [
                ("recorded_by", user.id.databaseValue), ("recorded_by_name", recorder.databaseValue),
            ],
            actor: actor,
            action: action
        )
    }
}

/// A patient's list of one kind of clinical fact (allergies, problems): recorded and changed alike through the API
/// and the chart's forms (`FactListAPI`, `FactListPages`), each an entry with a version that only grows.
package protocol PatientFactList: SendableMetatype {
    /// Its fields, as requests and the chart's form name them.
    static var fields: RecordFields { get }
    /// Its table and the entry's name in answers (`allergy`); the entry's id is the path parameter `<entity>_id`.
    static var changes: RecordChanges { get }
    static func create(_ db: Database, _ request: inout RequestFields, _ writer: FactWriter) throws -> Int64
    static func update(_ db: Database, id: Int64, version: Int64, _ request: inout RequestFields, _ writer: FactWriter) throws
    /// One entry as the API answers it: a `json_object` over the table read as `alias`.
    static var object: String { get }
    static var alias: String { get }
}

extension PatientFactList {
    /// One entry of `patient` as the API answers it; another patient's entry is as absent as a missing one.
    package static func entryJSON(_ db: Database, patient: Int64, id: Int64) throws -> String {
        let sql = "SELECT \(object) FROM \(changes.table) \(alias) WHERE \(alias).id = ? AND \(alias).patient_id = ?"
        guard let json = try String.fetchOne(db, sql: sql, arguments: [id, patient]) else { throw RecordChanges.notFound(changes.entity) }
        return json
    }
}

extension PatientAllergies: PatientFactList {}
extension PatientProblems: PatientFactList {}
