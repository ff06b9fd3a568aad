import Foundation
import Logging

/// `--log-format json`: one JSON object per line on standard error (`time`, `level`, `message`, then the
/// metadata), for journald, Loki or any collector that reads JSON lines.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(level: Logger.Level) {
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = ["time": Date().formatted(.iso8601), "level": event.level.rawValue, "message": "\(event.message)"]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            // Hummingbird's request id travels as hb.request.id; the line calls it request_id.
            fields[key == "hb.request.id" ? "request_id" : key] = "\(value)"
        }
        var line = JSON.encodeLine(fields)
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardError.write(line)
    }
}

extension JSON {
    /// A flat object of strings on one line, keys sorted, for log lines.
    package static func encodeLine(_ fields: [String: String]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)) ?? Data()
    }
}
