import Foundation
import Testing

@testable import ClinicBoxCore

/// The QR encoder against the standard's worked example and against a real decoder (Debian's `zbarimg`).
@Suite struct QRCodeTests {
    /// ISO/IEC 18004's "HELLO WORLD" at 1-M (as thonky.com's tutorial works it through): the 16 data codewords
    /// give these 10 correction codewords.
    @Test func reedSolomonGivesTheStandardsWorkedExample() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func theSmallestVersionThatHoldsTheTextIsChosen() {
        #expect(QRCode("")?.version == 1 && QRCode("")?.size == 21)
        #expect(QRCode(String(repeating: "a", count: 14))?.version == 1)
        #expect(QRCode(String(repeating: "a", count: 15))?.version == 2)
        #expect(QRCode(String(repeating: "a", count: 213))?.version == 10)
        #expect(QRCode(String(repeating: "a", count: 214))?.version == 11)
        #expect(QRCode(String(repeating: "a", count: 666))?.version == 20)
        #expect(QRCode(String(repeating: "a", count: 667)) == nil)
    }

    static let hasDecoder = FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg")

    /// Texts that take one block (version 1), several equal blocks (6), short and long blocks (9), the version bits
    /// (7 and up), the 16-bit count (10 and up) and up to 20; each drawn 6 pixels a module and read back by zbarimg.
    @Test(.enabled(if: hasDecoder, "needs zbarimg (apt-get install zbar-tools); .ci/run installs it"))
    func aDecoderReadsBackWhatWasEncoded() throws {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        let texts = [
            "otpauth://totp/Riverside%20Health:dr.weber%40riverside.example?secret=\(secret)&issuer=Riverside%20Health&period=30",
            "ClinicBox",
            String(repeating: "0123456789", count: 10),
            String(repeating: "0123456789", count: 11) + "01234",
            "Wanjiru Kamau · Müller · 東京 · " + String(repeating: "x", count: 140),
            String(repeating: "z", count: 213),
            // A long clinic name, twice and percent-encoded, in the address: versions 12 to 20, more alignment patterns.
            "otpauth://totp/" + String(repeating: "Riverside%20Health%20", count: 14) + ":dr.weber%40riverside.example?secret=\(secret)",
            String(repeating: "0123456789", count: 66),
        ]
        var versions: Set<Int> = []
        for text in texts {
            let code = try #require(QRCode(text))
            versions.insert(code.version)
            #expect(try Self.decoded(code) == text, "version \(code.version)")
        }
        #expect(versions.isSuperset(of: [1, 6, 7, 8, 9, 10, 20]) && versions.count == texts.count, "\(versions)")
    }

    /// The code as a binary PGM with a 4-module quiet zone, decoded by zbarimg.
    static func decoded(_ code: QRCode) throws -> String {
        let scale = 6
        let side = (code.size + 8) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<code.size {
            for x in 0..<code.size where code[x, y] {
                for dy in 0..<scale {
                    for dx in 0..<scale { pixels[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0 }
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
        defer { try? FileManager.default.removeItem(at: file) }
        try (Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--raw", "-q", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
