import GRDB
import Hummingbird

/// `/api/v1/patients`: list and search, show, create (with a duplicate check), and versioned update.
struct PatientRoutes {
    static let changes = RecordChanges(table: "patients", entity: "patient", storedJSON: PatientJSON.object)
    static let sortKeys: [ListPage.SortKey] = [
        .init(name: "name", column: "sort_name"), .init(name: "created_at", column: "created_at"),
        .init(name: "number", column: "number"),
    ]

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get { request, context in try await list(request, context) }
        group.post { request, context in try await create(request, context) }
        group.get(":id") { _, context in try await show(context) }
        group.patch(":id") { request, context in try await update(request, context) }
    }

    /// `?q=` matches a patient number exactly, a phone number by its digits, or any part of the name.
    private func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("patients.read")
        let query = request.uri.queryParameters
        let page = try ListPage(request, sortKeys: Self.sortKeys, defaultSort: "name")
        var conditions = SQLConditions()
        if let q = query.get("q")?.trimmingSpaces, !q.isEmpty {
            let digits = PatientForm.digits(q)
            let name = "%" + PatientForm.sortName(first: "", last: q).trimmingSpaces.likeEscaped + "%"
            if digits.count >= 5, digits.count == q.filter({ !$0.isWhitespace && !"+-()".contains($0) }).count {
                conditions.add("patients.phone_digits LIKE ? ESCAPE '\\'", ["%" + digits + "%"])
            } else {
                conditions.add("(patients.number = ? COLLATE NOCASE OR patients.sort_name LIKE ? ESCAPE '\\')", [q, name])
            }
        }
        if let active = query.get("active") {
            guard let value = Bool(active) else {
                throw Problem(.badRequest, title: "Invalid list parameters", detail: "Check active.", fieldErrors: ["active": "must be true or false"])
            }
            conditions.add("patients.active = ?", [value])
        }
        if let born = query.get("date_of_birth") { conditions.add("patients.date_of_birth = ?", [born]) }
        return try await page.fetch(context.storage.database(), item: "patients.api_json", from: "patients", conditions: conditions)
    }

    private func show(_ context: AuthenticatedContext) async throws -> Response {
        try await context.require("patients.read")
        let id = try context.recordID()
        let json = try await context.storage.database().read { db in try PatientJSON.fetch(db, id: id) }
        return .json(bytes: ByteBuffer(string: json))
    }

    private func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("patients.write")
        var fields = try await RequestFields.read(request, allowed: PatientForm.fields.union(["allow_duplicate"]))
        var form = PatientForm()
        form.apply(&fields, today: .today(in: context.tenant.timeZone))
        let allowDuplicate = fields.bool("allow_duplicate") ?? false
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { [form] db in
            if !allowDuplicate { try Self.refuseDuplicate(db, form) }
            let next = try db.fetchCached(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM patients") ?? 1
            let number = "P-" + String(next).leftPadded(to: 6)
            let id = try Self.changes.insert(db, [("number", number.databaseValue)] + form.columns, actor: actor, action: "patients.create")
            return .init(status: .created, json: try PatientJSON.fetch(db, id: id))
        }
    }

    /// Same name and date of birth as an existing patient: most likely the same person registered twice.
    private static func refuseDuplicate(_ db: Database, _ form: PatientForm) throws {
        guard let dateOfBirth = form.dateOfBirth else { return }
        let sortName = PatientForm.sortName(first: form.firstName ?? "", last: form.lastName ?? "")
        let numbers = try String.fetchAll(
            db.cachedStatement(sql: "SELECT number FROM patients WHERE date_of_birth = ? AND sort_name = ? ORDER BY id"), arguments: [dateOfBirth, sortName]
        )
        guard !numbers.isEmpty else { return }
        throw Problem(
            .conflict, title: "Possible duplicate",
            detail: "A patient with the same name and date of birth exists (\(numbers.joined(separator: ", "))). Open that record, or send \"allow_duplicate\": true to register a different person.",
            fieldErrors: ["last_name": "same name and date of birth as \(numbers.joined(separator: ", "))"]
        )
    }

    private func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("patients.write")
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: PatientForm.fields.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true)
        try fields.finish()
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let actor = context.actor
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            var form = PatientForm(row: try Self.changes.current(db, id: id))
            form.apply(&fields, today: today)
            try fields.finish()
            try Self.changes.update(db, id: id, version: version ?? 0, form.columns, actor: actor, action: "patients.update")
            return try PatientJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
