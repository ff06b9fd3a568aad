/// Money a module takes in at a branch (the till's sales and refunds, billing's payments and refunds), so the
/// cash-up of a cashier's session counts every till without knowing the modules.
package struct TakingsSource: Sendable {
    /// `SELECT method, amount FROM … WHERE branch = :branch AND <cashier> = :cashier AND substr(<moment>, 1, 19) BETWEEN
    /// substr(:from, 1, 19) AND substr(:to, 1, 19)`: one row per amount taken (negative for money paid out), `method`
    /// one of `cash`, `card`, `mobile_money`, `bank_transfer`, `insurer`; cash is what stays in the drawer (change
    /// already given back). Moments are compared to the second, because modules store them to the second or finer.
    package var query: String

    package init(query: String) { self.query = query }
}
