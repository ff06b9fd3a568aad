extension TenantFileParser {
    /// `payers: [{code: JUB, name: Jubilee Health Insurance, kind: insurer, share_percent: 80, needs_preauthorisation: true}]`.
    func readPayers(_ node: YAMLNode, reader: inout YAMLFieldReader) -> [TenantDefinition.Payer] {
        var payers: [TenantDefinition.Payer] = []
        let kinds = TenantDefinition.Payer.Kind.allCases.map(\.rawValue)
        for item in reader.list(node, field: "payers") ?? [] {
            guard let fields = reader.fields(of: item, name: "payer", allowed: TenantFileKeys.nested["payers[]"]!) else { continue }
            guard let codeNode = fields["code"]?.value, let nameNode = fields["name"]?.value, let kindNode = fields["kind"]?.value else {
                reader.report(item.location, "payer: needs 'code', 'name' and 'kind' (\(kinds.joined(separator: ", ")))")
                continue
            }
            guard let code = reader.text(codeNode, field: "payer code", maxLength: 20), let name = reader.text(nameNode, field: "payer name")
            else { continue }
            if !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) {
                reader.report(codeNode.location, "payer code \(code.echoed) is not valid; use letters, digits, '-' and '_'")
            } else if payers.contains(where: { $0.code.lowercased() == code.lowercased() }) {
                reader.report(codeNode.location, "payer code \(code.echoed) is used twice; each payer needs its own code")
            }
            guard let kind = kindNode.scalarText.flatMap(TenantDefinition.Payer.Kind.init(rawValue:)) else {
                reader.report(kindNode.location, "payer kind must be one of \(kinds.joined(separator: ", ")), not \(kindNode.kindDescription)")
                continue
            }
            var payer = TenantDefinition.Payer(code: code, name: name, kind: kind)
            if let share = fields["share_percent"]?.value {
                payer.sharePercent = reader.integer(share, field: "payer share_percent", range: 0...100) ?? 100
            }
            if let preauthorisation = fields["needs_preauthorisation"]?.value {
                payer.needsPreauthorisation = reader.boolean(preauthorisation, field: "payer needs_preauthorisation") ?? false
            }
            payers.append(payer)
        }
        return payers
    }
}
