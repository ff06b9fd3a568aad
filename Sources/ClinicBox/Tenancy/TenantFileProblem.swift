/// One thing wrong with a tenant file, pointing at the exact place: `tenants.d/smile.yaml:7:18: …`.
public struct TenantFileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the admin knows it, e.g. `tenants.d/smile-dental.yaml`.
    public var file: String
    public var location: SourceLocation?
    public var message: String

    public init(file: String, location: SourceLocation?, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { "\(file):\(location.line):\(location.column): \(message)" } else { "\(file): \(message)" }
    }
}
