#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An IPv4 or IPv6 address range as admins write it: `192.168.1.0/24`, `10.0.0.7` (one address), `fd00::/8`.
/// An IPv4 range also matches the IPv4-mapped form (`::ffff:192.168.1.20`) a dual-stack socket reports.
package struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes, with the bits past `prefix` cleared.
    private let network: [UInt8]
    private let prefix: Int

    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = Self.bytes(String(parts[0])) else { return nil }
        let width = bytes.count * 8
        var prefix = width
        if parts.count == 2 {
            guard let written = Int(parts[1]), (0...width).contains(written), parts[1].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            prefix = written
        }
        self.prefix = prefix
        network = Self.masked(bytes, prefix)
    }

    /// True when `address` (as the client's connection gives it) lies in this range.
    package func contains(_ address: String) -> Bool {
        guard var bytes = Self.bytes(address) else { return false }
        if network.count == 4, bytes.count == 16, bytes[0..<12] == Self.mappedIPv4Prefix[...] { bytes = Array(bytes[12...]) }
        return bytes.count == network.count && Self.masked(bytes, prefix) == network
    }

    package var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = network.withUnsafeBytes { inet_ntop(network.count == 4 ? AF_INET : AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return prefix == network.count * 8 ? address : "\(address)/\(prefix)"
    }

    private static let mappedIPv4Prefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    private static func bytes(_ text: String) -> [UInt8]? {
        var four = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &four) == 1 { return four }
        var sixteen = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &sixteen) == 1 { return sixteen }
        return nil
    }

    private static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(max(prefix - index * 8, 0), 8)
            return kept == 8 ? byte : byte & ~(UInt8(0xFF) >> kept)
        }
    }
}
