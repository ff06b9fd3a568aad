import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `fsync` for files and folders: SQLite's `VACUUM INTO` and a rename reach the disk only when asked to.
package enum FileSync {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    package static func file(_ path: String) throws(Failure) { try sync(path, flags: O_RDONLY) }

    /// Makes a rename or a new file in `path` durable (the folder entry is what a crash would otherwise lose).
    package static func folder(_ path: String) throws(Failure) { try sync(path, flags: O_RDONLY | O_DIRECTORY) }

    private static func sync(_ path: String, flags: Int32) throws(Failure) {
        let fd = open(path, flags)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(description: "cannot sync \(path) to disk: \(String(cString: strerror(errno)))") }
    }

    /// Renames `source` to `destination` and syncs the folder, so the new name survives a power cut.
    package static func rename(_ source: String, to destination: String) throws(Failure) {
        guard Glibc.rename(source, destination) == 0 else {
            throw Failure(description: "cannot rename \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
        try folder((destination as NSString).deletingLastPathComponent)
    }

    /// Writes `data` to `path` under a temporary name, syncs it, then renames it into place.
    package static func write(_ data: Data, to path: String) throws(Failure) {
        let temporary = path + ".partial"
        do { try data.write(to: URL(fileURLWithPath: temporary)) } catch {
            throw Failure(description: "cannot write \(temporary): \(error.localizedDescription)")
        }
        try file(temporary)
        try rename(temporary, to: path)
    }
}
