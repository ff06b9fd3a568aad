/// The navigation bars of one tenant's pages, rendered once per role, section and page root (a few hundred at most).
///
/// Which links a page shows depends only on the tenant's modules, what the role may read, the current section and
/// the page root. The modules are fixed for a `Tenant` (a changed tenant file makes a new one, with new, empty
/// `KeptNavigation`), the templates' generation changes with a reload, and the rest is the key.
package typealias KeptNavigation = KeptHTML<NavigationKey>

package struct NavigationKey: Hashable, Sendable {
    package var base: String
    package var role: Role
    package var current: String
    package var generation: Int
}
