import Foundation

/// A QR code (ISO/IEC 18004, model 2) of a short text in byte mode at error-correction level M, versions 1 to 20
/// (up to 666 bytes: an `otpauth://` address is about 120, and a clinic's long name appears in it twice, encoded),
/// drawn as an SVG path for a page that has no JavaScript.
///
/// No listed Swift package draws QR codes. This one is small on purpose: one mode, one level, the versions an
/// enrolment address can need; the mask is the one with the lowest penalty under rules 1, 2 and 4 of the standard (rule
/// 3's finder-like runs are left out — any mask is valid, the penalty only helps cameras). Checked by decoding
/// Chromium's screenshot of the enrolment page with `zbarimg`.
package struct QRCode: Sendable {
    /// Modules per side (21 for version 1, then 4 more per version).
    package let size: Int
    package let version: Int
    /// Row by row: true is dark.
    package private(set) var modules: [Bool]
    private var isFunction: [Bool]

    package subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// The code for `text`, or nil when it is longer than version 20 holds.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let version = (1...20).first(where: { Self.dataCodewords($0) * 8 >= Self.bitsNeeded(bytes.count, version: $0) }) else {
            return nil
        }
        self.version = version
        size = version * 4 + 17
        modules = Array(repeating: false, count: size * size)
        isFunction = modules
        drawFunctionPatterns()
        drawCodewords(Self.interleavedWithCorrection(Self.dataCodewords(of: bytes, version: version), version: version))
        var best: (mask: Int, penalty: Int)?
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatBits(mask: mask)
            let penalty = penalty()
            if penalty < best?.penalty ?? .max { best = (mask, penalty) }
            applyMask(mask)  // XOR again: back to unmasked
        }
        applyMask(best!.mask)
        drawFormatBits(mask: best!.mask)
    }

    /// The code as an SVG with a quiet zone of 4 modules: one path of dark squares on a light square; `label` is what
    /// a screen reader says for it.
    package func svg(label: String) -> String {
        let label = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
        var path = ""
        for y in 0..<size {
            for x in 0..<size where self[x, y] { path += "M\(x + 4),\(y + 4)h1v1h-1z" }
        }
        let side = size + 8
        return """
            <svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" role="img" aria-label="\(label)" \
            shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    // MARK: The standard's numbers for level M, versions 1–20

    private static let correctionPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26]
    private static let blocks = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16]

    /// Data and correction modules together: the symbol less its function patterns and format and version bits.
    private static func rawModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    private static func dataCodewords(_ version: Int) -> Int {
        rawModules(version) / 8 - correctionPerBlock[version] * blocks[version]
    }

    /// Mode (4 bits), count (8 bits up to version 9, 16 from 10) and the bytes.
    private static func bitsNeeded(_ count: Int, version: Int) -> Int { 4 + (version < 10 ? 8 : 16) + count * 8 }

    private static func alignmentPositions(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        let last = version * 4 + 17 - 7
        return [6] + (1..<count).map { last - (count - 1 - $0) * step }
    }

    // MARK: Codewords

    private static func dataCodewords(of bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        let capacity = dataCodewords(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var codewords = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while codewords.count < capacity / 8 {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// The data split into blocks, each followed by its Reed–Solomon correction, read across the blocks in turn.
    private static func interleavedWithCorrection(_ data: [UInt8], version: Int) -> [UInt8] {
        let (count, correction) = (blocks[version], correctionPerBlock[version])
        let raw = rawModules(version) / 8
        let shortBlocks = count - raw % count
        let shortLength = raw / count - correction
        let divisor = ReedSolomon.divisor(degree: correction)
        var blocksOfData: [[UInt8]] = []
        var corrections: [[UInt8]] = []
        var start = 0
        for index in 0..<count {
            let length = shortLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            blocksOfData.append(block)
            corrections.append(ReedSolomon.remainder(block, divisor: divisor))
        }
        var result: [UInt8] = []
        for i in 0...shortLength {
            for block in blocksOfData where i < block.count { result.append(block[i]) }
        }
        for i in 0..<correction {
            for block in corrections { result.append(block[i]) }
        }
        return result
    }

    // MARK: Drawing

    private mutating func set(_ x: Int, _ y: Int, _ dark: Bool, function: Bool = true) {
        modules[y * size + x] = dark
        if function { isFunction[y * size + x] = true }
    }

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 where (0..<size).contains(cx + dx) && (0..<size).contains(cy + dy) {
                    let distance = max(abs(dx), abs(dy))
                    set(cx + dx, cy + dy, distance != 2 && distance != 4)
                }
            }
        }
        let positions = Self.alignmentPositions(version)
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() {
                let last = positions.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }  // the finders
                for dy in -2...2 {
                    for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(mask: 0)  // reserves the format modules; drawn again with the chosen mask
        if version >= 7 {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for i in 0..<18 {
                let (a, b) = (size - 11 + i % 3, i / 3)
                set(a, b, (bits >> i) & 1 == 1)
                set(b, a, (bits >> i) & 1 == 1)
            }
        }
    }

    /// Level M (format bits 00) and the mask, with their BCH code, in both copies.
    private mutating func drawFormatBits(mask: Int) {
        var remainder = mask
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (mask << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// The codewords' bits in two-module columns from the bottom right, up and down in turn, around the patterns.
    private mutating func drawCodewords(_ codewords: [UInt8]) {
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }  // the vertical timing pattern
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !isFunction[y * size + x], index < codewords.count * 8 else { continue }
                    set(x, y, (codewords[index >> 3] >> (7 - (index & 7))) & 1 == 1, function: false)
                    index += 1
                }
            }
            right -= 2
        }
    }

    private mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                let flip =
                    switch mask {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                if flip { modules[y * size + x].toggle() }
            }
        }
    }

    /// Rules 1 (runs of five or more in a row or column), 2 (2×2 blocks) and 4 (dark share far from half).
    private func penalty() -> Int {
        var result = 0
        for line in 0..<size {
            for across in [true, false] {
                var (run, previous) = (0, false)
                for i in 0..<size {
                    let dark = across ? self[i, line] : self[line, i]
                    if i > 0 && dark == previous {
                        run += 1
                    } else {
                        if run >= 5 { result += run - 2 }
                        run = 1
                    }
                    previous = dark
                }
                if run >= 5 { result += run - 2 }
            }
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 where self[x, y] == self[x + 1, y] && self[x, y] == self[x, y + 1] && self[x, y] == self[x + 1, y + 1] {
                result += 3
            }
        }
        let dark = modules.count(where: { $0 })
        result += abs(dark * 20 - modules.count * 10) / modules.count * 10
        return result
    }
}

/// Reed–Solomon correction over GF(2⁸) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial of `degree`, highest coefficient (always 1) left out.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
