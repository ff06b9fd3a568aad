/// One thing wrong with a tenant file, pointing at the exact place: `tenants.d/smile.yaml:7:18: …`.
///
/// Every problem about a file has a position (`:1:1` when it is about the whole file), so editors and CI
/// annotations can jump to it, and is one line: values it repeats are echoed short and escaped (`String.echoed`),
/// and the description escapes whatever else could break or fake a line.
public struct TenantFileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the admin knows it, e.g. `tenants.d/smile-dental.yaml`.
    public var file: String
    /// Nil only for a problem with the folder itself.
    public var location: SourceLocation?
    public var message: String

    /// The longest message a description prints; echoed values are already short, so only a runaway one is cut.
    package static let messageLimit = 500

    public init(file: String, location: SourceLocation?, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// A problem with the whole file, placed at its first character.
    package static func wholeFile(_ file: String, _ message: String) -> TenantFileProblem {
        TenantFileProblem(file: file, location: .init(line: 1, column: 1), message: message)
    }

    /// The tenant the file is for, when its name is a tenant id (`tenants.d/alpha.yaml` → alpha).
    public var tenantID: TenantID? {
        let name = file.split(separator: "/").last ?? ""
        return TenantFiles.fileID(name).flatMap(TenantID.init)
    }

    public var description: String {
        var text = message.escapingControlCharacters
        if text.count > Self.messageLimit { text = text.prefix(Self.messageLimit) + "…" }
        let file = file.escapingControlCharacters
        return if let location { "\(file):\(location.line):\(location.column): \(text)" } else { "\(file): \(text)" }
    }
}
