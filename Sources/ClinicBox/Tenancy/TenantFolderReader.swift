import Foundation

/// What one pass over `tenants.d/` found: each tenant file's definition or its problems.
public struct TenantFolderScan: Sendable {
    public enum FileResult: Sendable, Equatable {
        case valid(TenantDefinition)
        case invalid([TenantFileProblem])
    }

    /// Keyed by the file name without `.yaml`.
    public var files: [String: FileResult] = [:]
    /// Problems with files that are not tenant files at all (a `.yml` name, a folder that cannot be read).
    public var otherProblems: [TenantFileProblem] = []
    /// False when every file read the same as in the previous pass, so the registry need not be rebuilt.
    public var changed = true
}

/// Reads the tenant folder, re-parsing only files whose size, time or inode changed since the last pass.
public struct TenantFolderReader: Sendable {
    public let folder: String
    /// How the folder is named in messages (`tenants.d`).
    let displayFolder: String
    let parser: TenantFileParser
    private var cache: [String: (signature: FileSignature, result: TenantFolderScan.FileResult)] = [:]
    private var lastOtherProblems: [TenantFileProblem] = []

    public init(folder: String, assets: AssetStore, features: FeatureCatalog = .standard) {
        self.folder = folder
        self.displayFolder = (folder as NSString).lastPathComponent
        self.parser = TenantFileParser(logoFolder: folder + "/assets", assets: assets, features: features)
    }

    public mutating func scan() -> TenantFolderScan {
        var scan = TenantFolderScan()
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            scan.otherProblems.append(.init(file: displayFolder, location: nil, message: "cannot read the tenant folder \(folder): \(error.localizedDescription)"))
            return scan
        }
        var seen: Set<String> = []
        var changed = false
        for name in names where !name.hasPrefix(".") {
            let display = displayFolder + "/" + name
            if name.hasSuffix(".yml") {
                scan.otherProblems.append(.init(file: display, location: nil, message: "tenant files end in .yaml; rename it to \(name.dropLast(4)).yaml"))
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            let fileID = String(name.dropLast(5))
            let path = folder + "/" + name
            guard let signature = FileSignature(path: path), signature.isRegularFile else { continue }
            seen.insert(fileID)
            // Files with problems are re-read every pass: a missing logo may have appeared since.
            if let cached = cache[fileID], cached.signature == signature, case .valid = cached.result {
                scan.files[fileID] = cached.result
                continue
            }
            let result = read(path: path, fileID: fileID, display: display, size: signature.size)
            changed = changed || cache[fileID]?.result != result
            cache[fileID] = (signature, result)
            scan.files[fileID] = result
        }
        changed = changed || cache.count != seen.count
        cache = cache.filter { seen.contains($0.key) }
        scan.changed = changed || scan.otherProblems != lastOtherProblems
        lastOtherProblems = scan.otherProblems
        return scan
    }

    private func read(path: String, fileID: String, display: String, size: Int) -> TenantFolderScan.FileResult {
        func problem(_ message: String) -> TenantFolderScan.FileResult {
            .invalid([TenantFileProblem(file: display, location: nil, message: message)])
        }
        guard TenantID.isValid(fileID) else {
            return problem("'\(fileID)' is not a valid tenant id, so it cannot be a tenant file name; use \(TenantID.rule)")
        }
        guard size <= TenantFileParser.maximumFileSize else {
            return problem("the file is \(size) bytes; tenant files may be at most 1 MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return problem("cannot be read (check its permissions)") }
        guard let text = String(validating: data, as: UTF8.self) else { return problem("is not UTF-8 text; save it as UTF-8") }
        return parser.parse(text, fileID: fileID, displayPath: display)
    }
}

/// What changes when a file is edited, replaced or touched.
struct FileSignature: Equatable, Sendable {
    var size: Int
    var modified: timespec
    var inode: UInt64
    var isRegularFile: Bool

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        modified = info.st_mtim
        inode = UInt64(info.st_ino)
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
    }

    static func == (lhs: FileSignature, rhs: FileSignature) -> Bool {
        lhs.size == rhs.size && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
            && lhs.inode == rhs.inode && lhs.isRegularFile == rhs.isRegularFile
    }
}
