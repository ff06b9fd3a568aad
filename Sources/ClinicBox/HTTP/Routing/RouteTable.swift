/// Every URL ClinicBox serves, as `clinicbox routes` prints it: one row per route with the permission it checks
/// and the module that owns it. Made from the router itself once it is built, so it cannot leave a route out;
/// the actions come from the endpoint declarations. A tenant-scoped route is listed once, as served at the root;
/// each is also served under `/t/{tenant}/`.
public struct RouteTable: Sendable {
    public struct Row: Sendable, Hashable {
        public var method: String
        /// OpenAPI form: `/api/v1/patients/{id}`.
        public var path: String
        /// The permission checked before the handler, or in brackets who the handler lets in (`(anyone)`).
        public var action: String
        /// The feature module, `admin` for the tenant's administration pages, or `core`.
        public var module: String
        /// `api` when the OpenAPI document describes it, else `page`.
        public var kind: String

        public init(method: String, path: String, action: String, module: String, kind: String) {
            (self.method, self.path, self.action, self.module, self.kind) = (method, path, action, module, kind)
        }
    }

    public let rows: [Row]

    /// `routes`: the router's own `(method, path)` pairs; `access`: what the declarations say each checks.
    init(routes: [(method: String, path: String)], documented: Set<String>, access: [String: String], modules: [String]) {
        var seen: Set<String> = []
        var rows: [Row] = []
        for route in routes {
            let path = Self.openAPIForm(route.path)
            let key = "\(route.method) \(path)"
            guard seen.insert(key).inserted else { continue }
            let first = path.split(separator: "/").prefix(3).map(String.init)
            let module =
                first.count >= 3 && first[0] == "api" && first[1] == "v1" && modules.contains(first[2])
                ? first[2]
                : first.first.map { modules.contains($0) } == true ? first[0] : first.first == "admin" ? "admin" : "core"
            rows.append(
                Row(method: route.method, path: path, action: access[key] ?? "-", module: module, kind: documented.contains(key) ? "api" : "page")
            )
        }
        self.rows = rows.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// `/t/:tenantID/api/v1/patients/:id` → `/api/v1/patients/{id}`.
    static func openAPIForm(_ routerPath: String) -> String {
        var path = routerPath
        for prefix in ["/t/:tenantID", "/t/{tenantID}"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        let segments = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        return "/" + segments.joined(separator: "/")
    }

    /// The table as aligned columns, a header first.
    public var text: String {
        let header = Row(method: "METHOD", path: "PATH", action: "ACTION", module: "MODULE", kind: "KIND")
        let all = [header] + rows
        let widths = [all.map(\.method.count).max()!, all.map(\.path.count).max()!, all.map(\.action.count).max()!, all.map(\.module.count).max()!]
        return all.map { row in
            [row.method, row.path, row.action, row.module].enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                separator: "  "
            )
                + "  " + row.kind
        }.joined(separator: "\n") + "\n"
    }
}
