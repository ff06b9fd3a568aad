import Foundation

/// The files under `Assets/` (templates, stylesheet, icons, default logos): compiled into the binary by the
/// `EmbedAssets` plugin, each replaceable by a file with the same relative path in an override folder
/// (`--assets DIR`), so a clinic can restyle ClinicBox without rebuilding it.
public struct AssetStore: Sendable {
    public let overrideFolder: String?

    public init(overrideFolder: String?) {
        self.overrideFolder = overrideFolder
    }

    /// The built-in files, decoded once.
    package static let builtIn: [String: Data] = EmbeddedAssets.files.compactMapValues { Data(base64Encoded: $0) }
    private static let builtInPrefix = "built-in:"

    /// Where the file at `path` (relative to `Assets/`) comes from: a path in the override folder, or a built-in
    /// location that `read` understands. Nil when neither has it.
    package func locate(_ path: String) -> String? {
        guard Self.isPlainRelativePath(path) else { return nil }
        if let overrideFolder {
            let file = overrideFolder + "/" + path
            if FileManager.default.fileExists(atPath: file) { return file }
        }
        return Self.builtIn[path] == nil ? nil : Self.builtInPrefix + path
    }

    /// The bytes at a location from `locate`.
    package static func read(_ location: String) -> Data? {
        if location.hasPrefix(builtInPrefix) { return builtIn[String(location.dropFirst(builtInPrefix.count))] }
        return FileManager.default.contents(atPath: location)
    }

    public func contents(_ path: String) -> Data? {
        locate(path).flatMap(Self.read)
    }

    /// Every path under `folder` (e.g. `templates/`) ending in `suffix`, built-in or in the override folder.
    public func paths(under folder: String, endingIn suffix: String) -> [String] {
        var paths = Set(Self.builtIn.keys.filter { $0.hasPrefix(folder) && $0.hasSuffix(suffix) })
        if let overrideFolder, let walker = FileManager.default.enumerator(atPath: overrideFolder + "/" + folder) {
            for case let relative as String in walker where relative.hasSuffix(suffix) { paths.insert(folder + relative) }
        }
        return paths.sorted()
    }

    /// The media type of an asset or logo, by its file name's extension.
    package static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }

    /// How the places searched read in a message.
    package var description: String {
        overrideFolder.map { "\($0)/ or the built-in assets" } ?? "the built-in assets"
    }

    private static func isPlainRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
