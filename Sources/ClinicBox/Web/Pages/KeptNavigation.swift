/// The navigation bars of one tenant's pages, rendered once per role, section and page root (a few hundred at most).
///
/// Which links a page shows depends only on the tenant's modules, what the role may read, the current section and
/// the page root. The modules are fixed for a `Tenant` (a changed tenant file makes a new one, with new, empty
/// `KeptNavigation`), the templates' generation changes with a reload, and the rest is the key.
typealias KeptNavigation = KeptHTML<NavigationKey>

struct NavigationKey: Hashable, Sendable {
    var base: String
    var role: Role
    var current: String
    var generation: Int
}
