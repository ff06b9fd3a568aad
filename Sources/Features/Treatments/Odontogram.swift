import ClinicBoxCore
import Patients

/// A patient's teeth as a dental chart (odontogram), drawn on the server as SVG: FDI numbering, seen from the
/// front (the patient's right on the viewer's left), upper teeth above lower, the primary teeth between them when
/// they are shown. Each tooth is five surfaces around its centre, coloured by the treatments on them — red for
/// planned, blue for done — its outline coloured for a whole-tooth treatment, and a link to add a treatment for it.
/// No script: the links and the text read aloud are plain SVG.
package struct Odontogram: Sendable {
    package struct Work: Sendable {
        package var procedure: String
        /// `MOD` (`ToothSurfaces`); nil for the whole tooth.
        package var surfaces: String?
        package var done: Bool
    }

    /// Treatments by FDI tooth number.
    package var work: [Int: [Work]]
    /// Draw the primary teeth (51–85): for children, or when one of them has a treatment.
    package var showsPrimary: Bool
    /// The whole plan's treatments, whole-mouth ones included, for the chart's facts.
    package var counts = (planned: 0, done: 0)

    package init(work: [Int: [Work]], childAge: Bool) {
        self.work = work
        self.showsPrimary = childAge || work.keys.contains { $0 / 10 >= 5 }
    }

    package static let planned = "#c62828"
    package static let done = "#1565c0"
    private static let size = 30, step = 36, midline = 14, margin = 6

    /// The teeth as one viewer row, left to right: (tooth, column), columns 0–15 with the midline after column 7.
    private static func row(_ leftQuadrant: Int, _ rightQuadrant: Int, teeth: Int) -> [(tooth: Int, column: Int)] {
        (0..<teeth).map { (leftQuadrant * 10 + teeth - $0, 8 - teeth + $0) } + (0..<teeth).map { (rightQuadrant * 10 + 1 + $0, 8 + $0) }
    }

    /// The SVG; `href` is the link that adds a treatment for a tooth.
    package func svg(href: (Int) -> String) -> String {
        var rows = [(Self.row(1, 2, teeth: 8), upper: true)]
        if showsPrimary { rows += [(Self.row(5, 6, teeth: 5), upper: true), (Self.row(8, 7, teeth: 5), upper: false)] }
        rows.append((Self.row(4, 3, teeth: 8), upper: false))
        let rowHeight = Self.size + 18
        let width = Self.margin * 2 + 16 * Self.step + Self.midline
        let legendY = rows.count * rowHeight + 14
        let height = legendY + 10
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(width) \##(height)" width="\##(width)" height="\##(height)" role="group" aria-label="Teeth: select one to add a treatment">"##,
            ##"<line x1="\##(Self.x(column: 8) - Self.midline / 2 - 2)" y1="0" x2="\##(Self.x(column: 8) - Self.midline / 2 - 2)" y2="\##(rows.count * rowHeight)" stroke="#9aa3ad" stroke-dasharray="3 3"/>"##,
        ]
        for (index, row) in rows.enumerated() {
            let top = index * rowHeight + (row.upper ? 14 : 2)
            for (tooth, column) in row.0 {
                parts.append(self.tooth(tooth, x: Self.x(column: column), y: top, labelAbove: row.upper, href: href(tooth)))
            }
        }
        parts.append(
            ##"<rect x="\##(Self.margin)" y="\##(legendY - 9)" width="10" height="10" fill="\##(Self.planned)"/><text x="\##(Self.margin + 14)" y="\##(legendY)" font-size="11" fill="#1d2430">planned</text>"##
        )
        parts.append(
            ##"<rect x="\##(Self.margin + 70)" y="\##(legendY - 9)" width="10" height="10" fill="\##(Self.done)"/><text x="\##(Self.margin + 84)" y="\##(legendY)" font-size="11" fill="#1d2430">done</text>"##
        )
        parts.append("</svg>")
        return parts.joined()
    }

    private static func x(column: Int) -> Int {
        margin + column * step + (column >= 8 ? midline : 0)
    }

    private func tooth(_ number: Int, x: Int, y: Int, labelAbove: Bool, href: String) -> String {
        let items = work[number] ?? []
        let (s, inset) = (Self.size, 9)
        let quadrant = number / 10
        let upper = [1, 2, 5, 6].contains(quadrant)
        let onViewersLeft = [1, 4, 5, 8].contains(quadrant)
        // Which surface each side of the square is: buccal faces out of the mouth (up for upper teeth), mesial
        // faces the midline.
        let (top, bottom): (Character, Character) = upper ? ("B", "L") : ("L", "B")
        let (left, right): (Character, Character) = onViewersLeft ? ("D", "M") : ("M", "D")
        func fill(_ surface: Character) -> String {
            let covering = items.filter { $0.surfaces?.contains(surface) == true }
            if covering.contains(where: { !$0.done }) { return Self.planned }
            return covering.isEmpty ? "#ffffff" : Self.done
        }
        let whole = items.filter { $0.surfaces == nil }
        let outline = whole.contains { !$0.done } ? Self.planned : whole.isEmpty ? "#6b7280" : Self.done
        let (x2, y2, ix, iy, ix2, iy2) = (x + s, y + s, x + inset, y + inset, x + s - inset, y + s - inset)
        let polygons: [(Character, String)] = [
            (top, "\(x),\(y) \(x2),\(y) \(ix2),\(iy) \(ix),\(iy)"),
            (bottom, "\(ix),\(iy2) \(ix2),\(iy2) \(x2),\(y2) \(x),\(y2)"),
            (left, "\(x),\(y) \(ix),\(iy) \(ix),\(iy2) \(x),\(y2)"),
            (right, "\(x2),\(y) \(x2),\(y2) \(ix2),\(iy2) \(ix2),\(iy)"),
        ]
        let said =
            items.isEmpty
            ? "nothing recorded"
            : items.map { "\($0.procedure)\($0.surfaces.map { " (\(ToothSurfaces.words($0)))" } ?? "") \($0.done ? "done" : "planned")" }.joined(
                separator: "; "
            )
        let label = Self.escape("Tooth \(number): \(said). Add a treatment for it.")
        var svg = ##"<a href="\##(Self.escape(href))" aria-label="\##(label)"><title>\##(label)</title>"##
        svg +=
            ##"<text x="\##(x + s / 2)" y="\##(labelAbove ? y - 3 : y2 + 11)" text-anchor="middle" font-size="10" fill="#1d2430">\##(number)</text>"##
        for (surface, points) in polygons {
            svg += ##"<polygon points="\##(points)" fill="\##(fill(surface))" stroke="#6b7280" stroke-width="0.75"/>"##
        }
        svg +=
            ##"<rect x="\##(ix)" y="\##(iy)" width="\##(s - 2 * inset)" height="\##(s - 2 * inset)" fill="\##(fill("O"))" stroke="#6b7280" stroke-width="0.75"/>"##
        svg +=
            ##"<rect x="\##(x)" y="\##(y)" width="\##(s)" height="\##(s)" fill="none" stroke="\##(outline)" stroke-width="\##(whole.isEmpty ? 1 : 3)"/>"##
        return svg + "</a>"
    }

    private static func escape(_ text: String) -> String { FastHTMLEscaping().escapeText(text) }
}
