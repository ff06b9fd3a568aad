/// A page's size in whole millimetres and what kind of paper it is: a sheet (a document that may run over several
/// pages), a receipt roll (one page as long as the receipt) or a label (exactly one).
public struct PaperSize: Sendable, Equatable {
    public enum Kind: String, Sendable { case sheet, roll, label }

    public var width: Int
    public var height: Int
    public var kind: Kind

    public static let a4 = PaperSize(width: 210, height: 297, kind: .sheet)
    public static let letter = PaperSize(width: 216, height: 279, kind: .sheet)
    /// What a tenant file and `page.css` accept, in millimetres.
    public static let sizes = 20...1_000

    public init(width: Int, height: Int, kind: Kind) {
        self.width = width
        self.height = height
        self.kind = kind
    }

    /// A receipt roll `width` wide, long enough for the letterhead and `lines` lines of the receipt's small type (a
    /// roll is cut after the last line, so a receipt is one page however long). Measured in Chromium: the letterhead
    /// with its logo takes about 50 mm, a line of text 5 mm.
    public static func roll(width: Int, lines: Int) -> PaperSize {
        PaperSize(width: width, height: min(sizes.upperBound, 64 + 6 * max(lines, 1)), kind: .roll)
    }

    /// How many lines `text` takes on a roll `width` wide beside an amount (about 3 characters a centimetre of
    /// what is left beside it).
    public static func rollLines(_ text: String, width: Int) -> Int {
        let perLine = max(10, (width - 30) * 6 / 10)
        return 1 + max(0, text.count - 1) / perLine
    }

    /// `A4`, `Letter`, or `80 × 120 mm`.
    public var name: String {
        switch (width, height) {
        case (210, 297): "A4"
        case (216, 279): "Letter"
        default: "\(width) × \(height) mm"
        }
    }

    /// `210x297`: how `page.css` is asked for this size.
    public var query: String { "\(width)x\(height)" }
}
