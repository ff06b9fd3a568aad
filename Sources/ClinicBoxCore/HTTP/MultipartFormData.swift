/// A `multipart/form-data` body (RFC 7578, framed as RFC 2046 says) held in memory, split into its parts.
///
/// Written here rather than taken from multipart-kit: its 4.7.1 parser indexes a 128-entry table with each byte of
/// a part's header names and traps on any byte above 127, so one crafted upload stopped the server for every tenant.
/// This one checks every byte it reads and answers a malformed body with what is wrong.
package struct MultipartFormData {
    package struct Part {
        /// Header names lowercased, values as sent (UTF-8, so a browser's `filename="Befund Müller.pdf"` reads right).
        package var headers: [(name: String, value: String)]
        package var body: ArraySlice<UInt8>

        package func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first { $0.name == wanted }?.value
        }
    }

    package struct Malformed: Error {
        package var reason: String
    }

    /// More parts than any form of ours has, so a body of tiny parts cannot make us build a long list.
    package static let maximumParts = 100

    private static let crlf: [UInt8] = [13, 10]

    package static func parts(of bytes: [UInt8], boundary: String) throws(Malformed) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let nextDelimiter = crlf + delimiter
        // The first delimiter starts the body or a line; what comes before it (a preamble) is ignored.
        guard var position = bytes.starts(with: delimiter) ? 0 : bytes.firstRange(of: nextDelimiter).map({ $0.lowerBound + 2 }) else {
            throw Malformed(reason: "it holds no part; its boundary must match the Content-Type header's")
        }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            if bytes[position...].starts(with: [45, 45]) { return parts }  // "--": the closing delimiter
            while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }  // transport padding
            guard bytes[position...].starts(with: crlf) else { throw Malformed(reason: "a boundary line does not end where it should") }
            position += 2
            let headers: [(name: String, value: String)]
            if bytes[position...].starts(with: crlf) {
                headers = []
                position += 2
            } else {
                guard let end = bytes[position...].firstRange(of: crlf + crlf) else { throw Malformed(reason: "a part's headers do not end") }
                headers = try header(lines: bytes[position..<end.lowerBound])
                position = end.upperBound
            }
            guard let end = bytes[position...].firstRange(of: nextDelimiter) else { throw Malformed(reason: "it ends before its closing boundary") }
            parts.append(Part(headers: headers, body: bytes[position..<end.lowerBound]))
            guard parts.count <= maximumParts else { throw Malformed(reason: "it has more than \(maximumParts) parts") }
            position = end.lowerBound + 2
        }
    }

    /// `Name: value` lines; a name is an HTTP token (RFC 9110), so anything else in it is refused.
    private static func header(lines: ArraySlice<UInt8>) throws(Malformed) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var rest = lines
        while !rest.isEmpty {
            let line = rest.firstRange(of: crlf).map { rest[rest.startIndex..<$0.lowerBound] } ?? rest
            rest = rest[min(rest.endIndex, line.endIndex + 2)...]
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex, line[line.startIndex..<colon].allSatisfy(isTokenByte) else {
                throw Malformed(reason: "a part has a header line that is not “Name: value”")
            }
            let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
            headers.append((String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self)))
        }
        return headers
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
