import Foundation

/// The POSIX tar (ustar) format, for the few regular files of a tenant export; any `tar` can list or unpack one.
package enum TarFile {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Writes `files` (name, path on disk) to `destination` as one archive.
    package static func write(_ files: [(name: String, path: String)], to destination: String) throws(Failure) {
        guard FileManager.default.createFile(atPath: destination, contents: nil), let output = FileHandle(forWritingAtPath: destination) else {
            throw Failure(description: "cannot create \(destination)")
        }
        defer { try? output.close() }
        do {
            for file in files {
                guard let input = FileHandle(forReadingAtPath: file.path) else { throw Failure(description: "cannot read \(file.path)") }
                defer { try? input.close() }
                let size = Int(try input.seekToEnd())
                try input.seek(toOffset: 0)
                try output.write(contentsOf: header(name: file.name, size: size))
                var written = 0
                while let piece = try input.read(upToCount: 1 << 20), !piece.isEmpty {
                    try output.write(contentsOf: piece)
                    written += piece.count
                }
                guard written == size else { throw Failure(description: "\(file.path) changed while it was archived") }
                try output.write(contentsOf: Data(count: (512 - size % 512) % 512))
            }
            try output.write(contentsOf: Data(count: 1024))  // two empty blocks end the archive
            try output.synchronize()
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "cannot write \(destination): \(error.localizedDescription)")
        }
    }

    /// The regular files of the archive at `path`, by name.
    package static func read(_ path: String) throws(Failure) -> [String: Data] {
        guard let archive = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw Failure(description: "cannot read \(path)")
        }
        var files: [String: Data] = [:]
        var offset = 0
        while offset + 512 <= archive.count {
            let block = archive.subdata(in: offset..<offset + 512)
            if block.allSatisfy({ $0 == 0 }) { return files }
            let name = text(block, 0, 100)
            guard let size = Int(text(block, 124, 12).trimmingCharacters(in: .whitespaces), radix: 8), checksumMatches(block) else {
                throw Failure(description: "\(path) is not a tar archive, or it is damaged (at byte \(offset))")
            }
            let start = offset + 512
            guard start + size <= archive.count else { throw Failure(description: "\(path) is cut short (\(name) is incomplete)") }
            let kind = block[156]
            if kind == UInt8(ascii: "0") || kind == 0 { files[name] = archive.subdata(in: start..<start + size) }
            offset = start + (size + 511) / 512 * 512
        }
        throw Failure(description: "\(path) is cut short (no end-of-archive marker)")
    }

    private static func header(name: String, size: Int) throws(Failure) -> Data {
        guard name.utf8.count < 100 else { throw Failure(description: "file name \(name) is too long for the archive") }
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte } }
        put(name, at: 0)
        put("0000600", at: 100)  // mode: patient data, owner only
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(format: "%011o", size), at: 124)
        put(String(format: "%011o", Int(Date().timeIntervalSince1970)), at: 136)
        put("        ", at: 148)
        block[156] = UInt8(ascii: "0")
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), at: 148)
        block[154] = 0
        return Data(block)
    }

    private static func checksumMatches(_ block: Data) -> Bool {
        var bytes = [UInt8](block)
        let stored = Int(text(block, 148, 8).trimmingCharacters(in: .whitespaces), radix: 8)
        for index in 148..<156 { bytes[index] = UInt8(ascii: " ") }
        return stored == bytes.reduce(0) { $0 + Int($1) }
    }

    private static func text(_ block: Data, _ offset: Int, _ length: Int) -> String {
        let bytes = block[block.startIndex + offset..<block.startIndex + offset + length].prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
