/// Every URL ClinicBox serves, as `clinicbox routes` prints it: one row per route with the permission it checks,
/// the module that owns it and the file that declares it. Made from the server's `RouteList`, the same list the
/// router registers. A tenant-scoped route is listed once, as served at the root; each is also served under
/// `/t/{tenant}/`.
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

    /// A row and where it comes from.
    public struct Listing: Sendable {
        public var row: Row
        /// The source file that declares it (`Features/Patients/PatientsRoutes.swift`).
        public var file: String
    }

    public let listings: [Listing]
    public var rows: [Row] { listings.map(\.row) }

    package init(_ listings: [Listing]) {
        self.listings = listings.sorted { ($0.row.path, $0.row.method) < ($1.row.path, $1.row.method) }
    }

    /// The table as aligned columns, a header first.
    public var text: String {
        let header = ["METHOD", "PATH", "ACTION", "MODULE", "KIND", "FILE"]
        let lines =
            [header]
            + listings.map { [$0.row.method, $0.row.path, $0.row.action, $0.row.module, $0.row.kind, $0.file] }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max()! }
        return lines.map { line in
            line.enumerated().map { column, text in
                column == line.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
