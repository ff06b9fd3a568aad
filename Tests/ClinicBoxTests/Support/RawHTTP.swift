import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A bare HTTP/1.1 client over a socket, for requests no well-behaved client sends (two `Host` headers,
/// any `Host` at all), so host-name resolution is tested exactly as a browser or attacker would reach it.
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// Runs the blocking socket work on a dispatch queue: blocking the few cooperative threads would starve the server under test.
    static func get(port: Int, path: String, headers: [(String, String)]) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try getBlocking(port: port, path: path, headers: headers) })
            }
        }
    }

    private static func getBlocking(port: Int, path: String, headers: [(String, String)]) throws -> Reply {
        var request = "GET \(path) HTTP/1.1\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "Connection: close\r\n\r\n"
        let text = try exchange(port: port, request)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in head.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return Reply(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Connects and sends `text` without reading: a client stuck half-way through its request. Close the socket when done.
    static func startRequest(port: Int, _ text: String) throws -> Int32 {
        let fd = try connected(port: port)
        _ = text.withCString { send(fd, $0, strlen($0), 0) }
        return fd
    }

    /// Sends `text` one byte every `pause` (nothing when empty), reading what comes back, until the server closes the
    /// connection or `limit` passes; returns the seconds until it closed (nil: still open) and what it sent.
    static func secondsUntilClosed(
        _ fd: Int32,
        dripping text: String = "",
        every pause: Duration = .milliseconds(500),
        limit: Duration = .seconds(20)
    ) async -> (seconds: Double?, received: String) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let start = ContinuousClock.now
                var bytes = Array(text.utf8)[...]
                var received = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 4096)
                var nextSend = start
                while ContinuousClock.now - start < limit {
                    if let byte = bytes.first, ContinuousClock.now >= nextSend {
                        var one = byte
                        if send(fd, &one, 1, Int32(MSG_NOSIGNAL)) < 0 { break }
                        bytes = bytes.dropFirst()
                        nextSend = ContinuousClock.now + pause
                    }
                    var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    guard poll(&ready, 1, 50) > 0 else { continue }
                    let count = recv(fd, &buffer, buffer.count, 0)
                    if count <= 0 {
                        let elapsed = ContinuousClock.now - start
                        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                        continuation.resume(returning: (seconds, String(decoding: received, as: UTF8.self)))
                        return
                    }
                    received += buffer[0..<count]
                }
                continuation.resume(returning: (nil, String(decoding: received, as: UTF8.self)))
            }
        }
    }

    private static func exchange(port: Int, _ request: String) throws -> String {
        let fd = try connected(port: port)
        defer { close(fd) }
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    private static func connected(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }
}
