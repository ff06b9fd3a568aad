import ClinicBoxCore
import Clinical
import GRDB
import Hummingbird
import Inventory
import Patients

/// `/api/v1/prescriptions`: write (items are fixed once written), list, cancel, and dispense from stock.
package struct PrescriptionsAPI {
    package static let changes = PrescriptionRecords.changes

    package static let statuses = ["pending", "partially_dispensed", "dispensed", "cancelled"]
    package static let sorting = ListPage.Sorting(
        [.init(name: "date", column: "prescribed_on"), .init(name: "number", column: "id")],
        default: "-date"
    )

    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (patient, status, visit) = (query.id("patient_id"), query.choice("status"), query.id("visit_id"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = SQLConditions()
        if let patient { conditions.add("prescriptions.patient_id = ?", [patient]) }
        if let status { conditions.add("prescriptions.status = ?", [status]) }
        if let visit { conditions.add("prescriptions.visit_id = ?", [visit]) }
        return try await page.fetch(context.storage.database(), item: PrescriptionJSON.object, from: "prescriptions", conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        return .json(bytes: ByteBuffer(string: try await context.storage.database().read { db in try PrescriptionJSON.fetch(db, id: id) }))
    }

    package struct Item: Sendable {
        package var medicine: String
        package var strength: String?
        package var dose: String
        /// By mouth, on the skin, …: one of `PrescriptionsAPI.routes`.
        package var route: String? = nil
        /// How often (`3 times a day`) and for how long (`5 days`), as the prescriber writes them.
        package var frequency: String? = nil
        package var duration: String? = nil
        package var quantity: Int64
        package var repeats: Int64
        package var productID: Int64?
        /// Days before a repeat; nil works it out from the dose and quantity.
        package var repeatIntervalDays: Int64? = nil

        /// The interval kept with the item: as given, else from the dose and quantity; none without repeats.
        package var repeatInterval: Int64? {
            repeats == 0 ? nil : repeatIntervalDays ?? min(365, RepeatInterval.days(dose: instructions, quantity: quantity))
        }

        /// How to take it, in one line: `1 tablet · by mouth · 3 times a day · for 5 days`.
        package var instructions: String { Self.instructions(dose: dose, route: route, frequency: frequency, duration: duration) }

        package static func instructions(dose: String, route: String?, frequency: String?, duration: String?) -> String {
            ([dose, route.map { PrescriptionsAPI.routeText[$0] ?? $0 }, frequency, duration.map { "for " + $0 }] as [String?])
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        }
    }

    /// How a medicine enters the body, as prescriptions and labels name it.
    package static let routes = [
        "oral", "sublingual", "topical", "inhaled", "nasal", "eye", "ear", "rectal", "vaginal", "intramuscular", "intravenous", "subcutaneous",
    ]
    package static let routeText = [
        "oral": "by mouth", "sublingual": "under the tongue", "topical": "on the skin", "inhaled": "inhaled", "nasal": "in the nose",
        "eye": "in the eye", "ear": "in the ear", "rectal": "rectally", "vaginal": "vaginally", "intramuscular": "into a muscle",
        "intravenous": "into a vein", "subcutaneous": "under the skin",
    ]

    /// A line of a prescription as it is written, described once: the allowed names and the schemas come from this
    /// list; `create` reads and checks each.
    package static let itemFields = RecordFields([
        .ruled("medicine", "Medicine", .text),
        .ruled("strength", "Strength", .optionalText),
        .ruled("dose", "Dose", .string(description: "one dose, e.g. 1 tablet (the frequency and duration may be written here too)")),
        .ruled("route", "Route", .choice(routes, nullable: true)),
        .ruled("frequency", "How often", .string(nullable: true, description: "e.g. 3 times a day", maxLength: 60)),
        .ruled("duration", "For how long", .string(nullable: true, description: "e.g. 5 days", maxLength: 40)),
        .ruled("quantity", "Quantity", .integer()),
        .ruled("repeats", "Repeats", .integer(description: "0–12")),
        .ruled("product_id", "Product", .integer(nullable: true, description: "the inventory product dispensed for it")),
        .ruled(
            "repeat_interval_days",
            "Days between repeats",
            .integer(
                nullable: true,
                description: "days before a repeat may be dispensed (1–365); default: how long the quantity lasts at the dose, or 28",
                minimum: 1,
                maximum: 365
            )
        ),
    ])

    /// A prescription as it is written: the patient, the day, notes, its lines, an outside prescriber's details and
    /// the reason to write it despite an allergy.
    package static let fields = RecordFields([
        .ruled("patient_id", "Patient", .id),
        .ruled("prescribed_on", "Prescribed on", .date),
        .ruled("notes", "Notes", .optionalText),
        .ruled("items", "Medicines", .array(.object(itemFields.schema, required: ["medicine", "dose", "quantity"]))),
        .ruled(AllergyCheck.overrideField, "Reason despite an allergy", AllergyCheck.overrideSchema),
        .ruled("visit_id", "Visit", .id),
        .ruled(
            "outside_prescriber",
            "Outside prescriber",
            .object(
                ["name": .text, "registration_number": .string(maxLength: 50), "practice": .optionalText],
                required: ["name", "registration_number"]
            )
        ),
    ])

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: Self.fields.names)
        let patientID = fields.integer("patient_id", in: 1...Int64.max, required: true)
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let date = fields.date("prescribed_on") ?? today
        if date > today { fields.fail("prescribed_on", "must not be in the future") }
        let notes = fields.text("notes", maxLength: 2000)
        let items = fields.objects(
            "items",
            allowed: Self.itemFields.names,
            maxCount: 20
        ) { item -> Item? in
            let medicine = item.substanceName("medicine", required: true)
            let strength = item.text("strength", maxLength: 50)
            let dose = item.text("dose", required: true, maxLength: 200)
            let route = item.choice("route", Self.routes)
            let frequency = item.text("frequency", maxLength: 60)
            let duration = item.text("duration", maxLength: 40)
            let quantity = item.integer("quantity", in: 1...10_000, required: true)
            let repeats = item.integer("repeats", in: 0...12) ?? 0
            let productID = item.integer("product_id", in: 1...Int64.max)
            let interval = item.integer("repeat_interval_days", in: 1...365)
            guard let medicine, let dose, let quantity else { return nil }
            return Item(
                medicine: medicine,
                strength: strength,
                dose: dose,
                route: route,
                frequency: frequency,
                duration: duration,
                quantity: quantity,
                repeats: repeats,
                productID: productID,
                repeatIntervalDays: interval
            )
        }
        let allergyOverride = fields.text(AllergyCheck.overrideField, maxLength: 500)
        let visitID = fields.integer("visit_id", in: 1...Int64.max)
        let outside = fields.has("outside_prescriber") ? Self.outsidePrescriber(&fields) : nil
        try fields.finish()
        guard let patientID, let items else { return Response(status: .unprocessableContent) }
        let (actor, user) = (context.actor, context.user)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let id = try PrescriptionRecords.create(
                db,
                patientID: patientID,
                date: date,
                notes: notes,
                items: items,
                allergyOverride: allergyOverride,
                outside: outside,
                visitID: visitID,
                user: user,
                actor: actor
            )
            return .init(status: .created, json: try PrescriptionJSON.fetch(db, id: id))
        }
    }

    /// `outside_prescriber`: `{name, registration_number, practice}`, the first two required.
    package static func outsidePrescriber(_ fields: inout RequestFields) -> PrescriptionRecords.OutsidePrescriber? {
        fields.object("outside_prescriber", allowed: ["name", "registration_number", "practice"]) { prescriber in
            let name = prescriber.text("name", required: true, maxLength: 200)
            let registration = prescriber.text("registration_number", required: true, maxLength: 50)
            let practice = prescriber.text("practice", maxLength: 200)
            guard let name, let registration else { return nil }
            return PrescriptionRecords.OutsidePrescriber(name: name, registration: registration, practice: practice)
        }
    }

    /// Notes can be edited; the status only moves from `pending` to `cancelled` here (dispensing moves it otherwise).
    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["version", "notes", "status"])
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let status = fields.has("status") ? fields.choice("status", ["cancelled"], required: true) : nil
        try fields.finish()
        let actor = context.actor
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            let row = try Self.changes.current(db, id: id)
            var columns: [(String, DatabaseValue)] = [
                ("notes", fields.has("notes") ? fields.text("notes", maxLength: 2000).databaseValue : row["notes"] as DatabaseValue)
            ]
            if let status {
                if row["status"] as String != "pending" {
                    fields.fail("status", "only a pending prescription can be cancelled; this one is \(row["status"] as String)")
                }
                columns.append(("status", status.databaseValue))
            }
            try fields.finish()
            try Self.changes.update(db, id: id, version: version, columns, actor: actor, action: "prescriptions.update")
            return try PrescriptionJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
