extension TenantFileParser {
    /// `tax: {rate: 16, prices_include_tax: true}` (one class for everything) or
    /// `tax: {classes: {standard: 16, exempt: 0}, default_class: exempt, prices_include_tax: true}`.
    func readTax(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Tax {
        var tax = TenantDefinition.Tax.none
        guard let fields = reader.fields(of: node, name: "tax", allowed: TenantFileKeys.nested["tax"]!) else { return tax }
        if let field = fields["prices_include_tax"], let value = reader.boolean(field.value, field: "tax.prices_include_tax") {
            tax.pricesIncludeTax = value
        }
        if let field = fields["rate"] {
            if fields["classes"] != nil {
                reader.report(field.key.location, "tax: write either rate (one rate for everything) or classes (a rate per class), not both")
            } else if let rate = percentage(field.value, field: "tax.rate", reader: &reader) {
                tax.classes = [TenantDefinition.Tax.singleClass: rate]
            }
        }
        if let field = fields["classes"] {
            tax.classes = readClasses(field.value, reader: &reader)
            tax.defaultClass = tax.classes.count == 1 ? tax.classes.keys.first! : ""
        }
        if let field = fields["default_class"] {
            guard fields["classes"] != nil else {
                reader.report(
                    field.key.location,
                    "tax.default_class names one of tax.classes; without classes there is one rate and nothing to choose"
                )
                return tax
            }
            if let name = reader.text(field.value, field: "tax.default_class", maxLength: 32) {
                if tax.classes[name] != nil {
                    tax.defaultClass = name
                } else if !tax.classes.isEmpty {
                    let known = tax.classes.keys.sorted()
                    reader.report(
                        field.value.location,
                        "tax.default_class \(name.echoed) is not one of tax.classes\(DidYouMean.hint(for: name, among: known)); classes are \(known.joined(separator: ", "))"
                    )
                }
            }
        } else if let field = fields["classes"], tax.classes.count > 1 {
            reader.report(
                field.key.location,
                "tax.default_class is needed with more than one class: it is the class of a price or product that names none"
            )
        }
        // Each of these was reported; the file is refused, but the value stays whole.
        if tax.classes.isEmpty { tax.classes = TenantDefinition.Tax.none.classes }
        if tax.classes[tax.defaultClass] == nil { tax.defaultClass = tax.classes.keys.sorted().first! }
        return tax
    }

    /// `{standard: 16, exempt: 0}`: class names (lower-case letters, digits, `_`) and their percentages.
    private func readClasses(_ node: YAMLNode, reader: inout YAMLFieldReader) -> [String: Int] {
        let shape = "a mapping of class names to percentages, e.g. {standard: 16, exempt: 0}"
        guard case .mapping(let pairs, _) = node, !pairs.isEmpty else {
            reader.report(node.location, "tax.classes must be \(shape)")
            return [:]
        }
        var classes: [String: Int] = [:]
        for pair in pairs {
            let name = pair.key.name
            let valid =
                (1...32).contains(name.count) && name.first!.isLowercase
                && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
            guard valid else {
                reader.report(
                    pair.key.location,
                    "tax class \(name.echoed) is not a valid name; use lower-case letters, digits and '_', e.g. standard or zero_rated"
                )
                continue
            }
            // A class whose rate is wrong is still a class: `default_class` naming it is not a second mistake.
            classes[name] = percentage(pair.value, field: "tax.classes.\(name)", reader: &reader) ?? 0
        }
        return classes
    }

    private func percentage(_ node: YAMLNode, field: String, reader: inout YAMLFieldReader) -> Int? {
        if case .scalar(let text, true, _) = node, let basisPoints = Self.basisPoints(text) { return basisPoints }
        reader.report(node.location, "\(field) must be a percentage from 0 to 100 with at most two decimals, e.g. 16 or 7.5")
        return nil
    }
}
