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
    /// The modules the files were checked against, which the tenants made from them use.
    public let catalog: FeatureCatalog
}

/// Reads the tenant folder, re-parsing only files whose size, time or inode changed since the last pass.
///
/// A symbolic link is read only when it leads to a regular file inside the folder (or anywhere, with
/// `followSymlinks`): a link to `/etc/passwd` must not turn a problem message into a copy of that file.
public struct TenantFolderReader: Sendable {
    public let folder: String
    /// How the folder is named in messages (`tenants.d`).
    package let displayFolder: String
    package let parser: TenantFileParser
    package let followSymlinks: Bool
    private var cache: [String: (signature: FileSignature, result: TenantFolderScan.FileResult)] = [:]
    private var lastOtherProblems: [TenantFileProblem] = []

    public init(folder: String, assets: AssetStore, catalog: FeatureCatalog, followSymlinks: Bool = false) {
        self.folder = folder
        self.displayFolder = (folder as NSString).lastPathComponent
        self.parser = TenantFileParser(logoFolder: TenantFiles.assets(in: folder), assets: assets, features: catalog)
        self.followSymlinks = followSymlinks
    }

    public mutating func scan() -> TenantFolderScan {
        var scan = TenantFolderScan(catalog: parser.features)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            scan.otherProblems.append(
                .init(file: displayFolder, location: nil, message: "cannot read the tenant folder \(folder): \(error.localizedDescription)")
            )
            return scan
        }
        var seen: Set<String> = []
        var changed = false
        for name in names where !name.hasPrefix(".") {
            let display = displayFolder + "/" + name
            if name.hasSuffix(".yml") {
                scan.otherProblems.append(.wholeFile(display, "tenant files end in .yaml; rename it to \(String(name.dropLast(4)).bounded).yaml"))
                continue
            }
            guard let fileID = TenantFiles.fileID(name) else { continue }
            let path = folder + "/" + name
            let signature: FileSignature
            switch entry(at: path) {
            case .file(let found): signature = found
            case .refused(let message):
                seen.insert(fileID)
                let result = TenantFolderScan.FileResult.invalid([.wholeFile(display, message)])
                changed = changed || cache[fileID]?.result != result
                cache[fileID] = (.none, result)
                scan.files[fileID] = result
                continue
            case .gone: continue
            }
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

    private enum Entry {
        case file(FileSignature)
        /// Not read, for the reason given: the message names the entry, never what a link points at.
        case refused(String)
        /// Removed between listing and looking.
        case gone
    }

    private func entry(at path: String) -> Entry {
        var link = stat()
        guard lstat(path, &link) == 0 else { return .gone }
        let isLink = (link.st_mode & S_IFMT) == S_IFLNK
        guard let target = FileSignature(path: path) else {
            return isLink ? .refused("is a symbolic link to nothing; remove it or point it at a tenant file") : .gone
        }
        guard target.isRegularFile else {
            return .refused(
                isLink ? "is a symbolic link to something that is not a file; remove it" : "is not a regular file; a tenant file is a plain text file"
            )
        }
        if isLink, !followSymlinks, !Self.isInside(resolved: path, folder: folder) {
            return .refused(
                "is a symbolic link to a file outside \(displayFolder); links are followed only to files inside it "
                    + "(start the server with --tenants-follow-symlinks to follow them anywhere)"
            )
        }
        return .file(target)
    }

    /// True when `path`, with every link resolved, is inside `folder` (also resolved).
    private static func isInside(resolved path: String, folder: String) -> Bool {
        guard let target = realpath(path, nil), let base = realpath(folder, nil) else { return false }
        defer {
            free(target)
            free(base)
        }
        let targetPath = String(cString: target)
        let basePath = String(cString: base)
        return targetPath.hasPrefix(basePath.hasSuffix("/") ? basePath : basePath + "/")
    }

    private func read(path: String, fileID: String, display: String, size: Int) -> TenantFolderScan.FileResult {
        func problem(_ message: String, at location: SourceLocation = .init(line: 1, column: 1)) -> TenantFolderScan.FileResult {
            .invalid([TenantFileProblem(file: display, location: location, message: message)])
        }
        guard TenantID.isValid(fileID) else {
            return problem("\(fileID.echoed) is not a valid tenant id, so it cannot be a tenant file name; use \(TenantID.rule)")
        }
        guard size <= TenantFileParser.maximumFileSize else {
            return problem("the file is \(size) bytes; tenant files may be at most 1 MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return problem("cannot be read (check its permissions)") }
        switch TextPosition.decodeUTF8(data) {
        case .text(let text): return parser.parse(text, fileID: fileID, displayPath: display)
        case .invalid(let location): return problem("is not UTF-8 text (the first invalid byte is here); save it as UTF-8", at: location)
        }
    }
}

/// What changes when a file is edited, replaced or touched.
package struct FileSignature: Equatable, Sendable {
    package var size: Int
    package var modified: timespec
    package var inode: UInt64
    package var isRegularFile: Bool

    /// For an entry that was refused without being read.
    package static let none = FileSignature(size: 0, modified: timespec(), inode: 0, isRegularFile: false)

    private init(size: Int, modified: timespec, inode: UInt64, isRegularFile: Bool) {
        (self.size, self.modified, self.inode, self.isRegularFile) = (size, modified, inode, isRegularFile)
    }

    package init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        modified = info.st_mtim
        inode = UInt64(info.st_ino)
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
    }

    package static func == (lhs: FileSignature, rhs: FileSignature) -> Bool {
        lhs.size == rhs.size && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
            && lhs.inode == rhs.inode && lhs.isRegularFile == rhs.isRegularFile
    }
}
