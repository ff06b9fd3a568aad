extension TenantDefinition {
    /// Someone other than the patient who pays part of a bill (`payers:`): an insurer, a government or community
    /// scheme, or an employer. Its share of an invoice line is a claim the clinic submits and follows up.
    public struct Payer: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case insurer, scheme, employer }

        /// Short and stable (`JUB`): invoices, claims and memberships name the payer by it.
        public var code: String
        public var name: String
        public var kind: Kind
        /// The part of each line it pays unless a line says otherwise, in whole percent (default 100).
        public var sharePercent = 100
        /// Whether each line it pays needs a pre-authorisation reference before the invoice is issued.
        public var needsPreauthorisation = false
    }

    /// The payer with `code` (any case).
    public func payer(_ code: String?) -> Payer? {
        guard let code else { return nil }
        return payers.first { $0.code.lowercased() == code.lowercased() }
    }
}
