import Foundation

// Writes a Swift file holding every file under a folder, keyed by its path relative to that folder, as base64.
// Usage: AssetEmbedder <assets folder> <output .swift file>
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: AssetEmbedder <assets folder> <output.swift>\n".utf8))
    exit(2)
}
let folder = URL(fileURLWithPath: arguments[1]).standardizedFileURL
var entries: [(String, String)] = []
if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
    for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        let relative = String(url.standardizedFileURL.path.dropFirst(folder.path.count + 1))
        entries.append((relative, try Data(contentsOf: url).base64EncodedString()))
    }
}
var source = "// Generated at build time from Assets/ by the EmbedAssets plugin; do not edit.\n"
source += "enum EmbeddedAssets {\n    /// Path relative to Assets/ → the file's bytes, base64-encoded.\n    static let files: [String: String] = [\n"
for (path, base64) in entries.sorted(by: { $0.0 < $1.0 }) {
    source += "        \"\(path)\": \"\(base64)\",\n"
}
source += entries.isEmpty ? "        :\n" : ""
source += "    ]\n}\n"
// Written only when it differs: a file rewritten with the same text still looks changed to the build, which then
// recompiles the whole ClinicBox module (minutes in release) for nothing.
let output = URL(fileURLWithPath: arguments[2])
if (try? String(contentsOf: output, encoding: .utf8)) != source {
    try source.write(to: output, atomically: true, encoding: .utf8)
}
