extension TenantFileParser {
    /// `printing: {paper: A4, receipt_width: 80mm, label: 70mm x 36mm}`.
    func readPrinting(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Printing {
        var printing = TenantDefinition.Printing()
        guard let fields = reader.fields(of: node, name: "printing", allowed: TenantFileKeys.nested["printing"]!) else { return printing }
        if let field = fields["paper"] {
            switch field.value.scalarText?.lowercased() {
            case "a4": printing.sheet = .a4
            case "letter": printing.sheet = .letter
            default:
                reader.report(
                    field.value.location,
                    "printing.paper must be A4 or Letter (the sheets invoices, statements and prescriptions print on)"
                )
            }
        }
        if let field = fields["receipt_width"] {
            if let text = field.value.scalarText, let width = Self.millimetres(text), (40...120).contains(width) {
                printing.receiptWidth = width
            } else {
                reader.report(field.value.location, "printing.receipt_width must be the roll's width from 40mm to 120mm, e.g. 80mm or 58mm")
            }
        }
        if let field = fields["label"] {
            let sides = field.value.scalarText.map { $0.lowercased().split(whereSeparator: { $0 == "x" || $0 == "×" }) } ?? []
            if sides.count == 2, let width = Self.millimetres(String(sides[0])), let height = Self.millimetres(String(sides[1])),
                (20...200).contains(width), (20...200).contains(height)
            {
                printing.label = PaperSize(width: width, height: height, kind: .label)
            } else {
                reader.report(field.value.location, "printing.label must be the label's width x height from 20mm to 200mm, e.g. 70mm x 36mm")
            }
        }
        return printing
    }

    /// `80mm`, `80 mm` or `80` → 80.
    private static func millimetres(_ text: String) -> Int? {
        var digits = text.trimmingSpaces.lowercased()
        if digits.hasSuffix("mm") { digits = String(digits.dropLast(2)).trimmingSpaces }
        return Int(digits)
    }
}
