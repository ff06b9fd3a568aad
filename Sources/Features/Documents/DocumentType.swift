import ClinicBoxCore
import Clinical
import Patients

/// What a document is, decided from its first bytes (its "magic number"), never from the name or the type the
/// browser claims: a program renamed `scan.pdf` is still a program. The signatures are the ones each format's
/// specification fixes (PDF 1.7 §7.5.2, JPEG/JFIF SOI marker, PNG §5.2, WebP RIFF container).
package enum DocumentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"
    case webp = "image/webp"

    package var mediaType: String { rawValue }
    package var label: String {
        switch self {
        case .pdf: "PDF"
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        }
    }
    package var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }
    /// Every extension a file of this type commonly has, so a title that already ends in one keeps just it.
    package var fileExtensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .png: ["png"]
        case .webp: ["webp"]
        }
    }
    /// Images may be shown on the chart; a PDF is always downloaded, so no viewer runs it inside our origin.
    package var isImage: Bool { self != .pdf }

    package static let allowedList = "PDF, JPEG, PNG or WebP"

    package init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts(Array("%PDF-".utf8)) {
            self = .pdf
        } else if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else {
            return nil
        }
    }

    /// What a refused file looks like, for the message: people upload the wrong file far more often than a hostile one.
    package static func describe(_ bytes: some Collection<UInt8>) -> String {
        let head = Array(bytes.prefix(12))
        if head.count == 12, Array(head[4..<8]) == Array("ftyp".utf8),
            ["heic", "heix", "mif1"].contains(String(decoding: head[8..<12], as: UTF8.self))
        {
            return "an HEIC photo (a phone's own format; save it as JPEG first)"
        }
        if head.starts(with: [0x4D, 0x5A]) { return "a Windows program" }
        if head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return "a Linux program" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive or an Office document" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "an old Office document" }
        if head.starts(with: Array("GIF8".utf8)) { return "a GIF image" }
        if head.starts(with: Array("<".utf8)) || head.starts(with: Array("\u{FEFF}<".utf8)) { return "HTML or XML text" }
        return "not a kind of file ClinicBox recognises"
    }
}
