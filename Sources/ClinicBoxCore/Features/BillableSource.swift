/// Work a module records that billing charges for — a dental treatment marked done, a signed visit — offered by
/// the module without billing knowing it. Each row is one piece of work, named `kind:id` on the invoice line that
/// bills it; billing keeps that name unique, so the same work is never on two live invoices.
package struct BillableSource: Sendable {
    /// `treatment`, `visit`: the first half of the name an invoice line holds.
    package var kind: String
    /// nil: the row's own amount is its price (a treatment's fee). Otherwise the kind of price-list entry chosen
    /// when it is billed (`consultation`: a signed visit is billed as one of the clinic's consultation types).
    package var pricedBy: String?
    /// A module the query reads that the tenant may not have (dispensing reads inventory's batches); without it,
    /// the source is not asked.
    package var needs: String?
    /// `SELECT id, day, description, amount, item_code, branch FROM … WHERE patient_id = :patient AND …`: one row
    /// per piece of work ready to bill; `amount` in minor units (NULL when `pricedBy` prices it), `item_code` the
    /// price-list code it matches (its tax class) or NULL, `branch` NULL for work that belongs to no branch.
    package var query: String

    package init(kind: String, pricedBy: String? = nil, needs: String? = nil, query: String) {
        self.kind = kind
        self.pricedBy = pricedBy
        self.needs = needs
        self.query = query
    }
}
