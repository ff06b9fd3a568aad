extension TenantFileParser {
    /// `billing: {discount_limit_percent: 10, refund_limit: 50}`: above these, a discount or a refund needs a manager.
    func readBilling(_ node: YAMLNode, currency: String?, reader: inout YAMLFieldReader) -> TenantDefinition.BillingRules {
        var rules = TenantDefinition.BillingRules()
        guard let fields = reader.fields(of: node, name: "billing", allowed: TenantFileKeys.nested["billing"]!) else { return rules }
        if let field = fields["discount_limit_percent"] {
            if case .scalar(let text, true, _) = field.value, let basisPoints = Self.basisPoints(text) {
                rules.discountLimitBasisPoints = basisPoints
            } else {
                reader.report(
                    field.value.location,
                    "billing.discount_limit_percent must be a percentage from 0 to 100 with at most two decimals, e.g. 10 (0: every discount needs a manager)"
                )
            }
        }
        if let field = fields["refund_limit"], let currency {
            if case .scalar(let text, _, _) = field.value, let amount = Money.parse(text, currency: currency) {
                rules.refundLimit = amount
            } else {
                reader.report(
                    field.value.location,
                    "billing.refund_limit must be an amount in \(currency), e.g. 50 or 49.50 (0: every refund needs a manager)"
                )
            }
        }
        return rules
    }
}
