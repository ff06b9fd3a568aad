import GRDB

/// A product as a request writes it, validated into column values.
struct ProductForm {
    static let fields: Set<String> = [
        "sku", "name", "generic_name", "strength", "form", "requires_prescription", "controlled", "reorder_level", "active",
    ]
    static let forms = [
        "tablet", "capsule", "liquid", "injection", "cream", "ointment", "drops", "inhaler", "patch", "suppository", "powder",
        "device", "other",
    ]

    var sku: String?
    var name: String?
    var genericName: String?
    var strength: String?
    var form: String?
    var requiresPrescription = false
    var controlled = false
    var reorderLevel: Int64 = 0
    var active = true

    init() {}

    init(row: Row) {
        sku = row["sku"]
        name = row["name"]
        genericName = row["generic_name"]
        strength = row["strength"]
        form = row["form"]
        requiresPrescription = row["requires_prescription"]
        controlled = row["controlled"]
        reorderLevel = row["reorder_level"]
        active = row["active"]
    }

    mutating func apply(_ request: inout RequestFields) {
        if request.has("sku") {
            sku = request.text("sku", required: true, maxLength: 64)
            if let sku, sku.contains(where: \.isWhitespace) { request.fail("sku", "must not contain spaces (a scanner types it)") }
        }
        if request.has("name") { name = request.text("name", required: true, maxLength: 200) }
        if sku == nil { request.fail("sku", "is required") }
        if name == nil { request.fail("name", "is required") }
        if request.has("generic_name") { genericName = request.text("generic_name", maxLength: 200) }
        if request.has("strength") { strength = request.text("strength", maxLength: 50) }
        if request.has("form") { form = request.choice("form", Self.forms) }
        if request.has("requires_prescription") { requiresPrescription = request.bool("requires_prescription", required: true) ?? requiresPrescription }
        if request.has("controlled") { controlled = request.bool("controlled", required: true) ?? controlled }
        if request.has("reorder_level") { reorderLevel = request.integer("reorder_level", in: 0...1_000_000, required: true) ?? reorderLevel }
        if request.has("active") { active = request.bool("active", required: true) ?? active }
    }

    var columns: [(String, DatabaseValue)] {
        [
            ("sku", (sku ?? "").databaseValue), ("name", (name ?? "").databaseValue), ("generic_name", genericName.databaseValue),
            ("strength", strength.databaseValue), ("form", form.databaseValue),
            ("requires_prescription", requiresPrescription.databaseValue), ("controlled", controlled.databaseValue),
            ("reorder_level", reorderLevel.databaseValue), ("active", active.databaseValue),
            ("sort_name", (name ?? "").folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).databaseValue),
        ]
    }
}
