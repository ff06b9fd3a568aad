import Foundation

/// A small line chart drawn on the server as inline SVG, so a trend needs no script and prints as it shows.
/// It uses presentation attributes only (no `style`), which the Content-Security-Policy allows. The numbers and
/// labels are ours; labels are escaped anyway.
package struct TrendChart {
    package struct Series {
        package var name: String
        /// Oldest first: the moment in days since the epoch (local time; the fraction is the time of day, so two
        /// readings on one day stand apart, in order), and the value.
        package var points: [(day: Double, value: Double)]
        package var colour: String

        package init(name: String, points: [(day: Double, value: Double)], colour: String) {
            self.name = name
            self.points = points
            self.colour = colour
        }
    }

    package var title: String
    package var unit: String
    package var series: [Series]
    package var width = 320.0
    package var height = 120.0

    /// The SVG, or nil with fewer than two readings: one point is not a trend.
    package var svg: String? {
        let all = series.flatMap(\.points)
        guard series.contains(where: { $0.points.count >= 2 }), let first = all.map(\.day).min(), let last = all.map(\.day).max() else { return nil }
        let (low, high) = (all.map(\.value).min()!, all.map(\.value).max()!)
        let margin = max((high - low) * 0.1, 1)
        let (bottom, top) = (low - margin, high + margin)
        let (left, right, upper, lower) = (44.0, width - 8, 8.0, height - 22)
        func x(_ day: Double) -> Double { last == first ? (left + right) / 2 : left + (right - left) * (day - first) / (last - first) }
        func y(_ value: Double) -> Double { lower - (lower - upper) * (value - bottom) / (top - bottom) }
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(Self.number(width)) \##(Self.number(height))" width="\##(Self.number(width))" height="\##(Self.number(height))" role="img" aria-label="\##(Self.escape(summary))">"##,
            "<title>\(Self.escape(summary))</title>",
            ##"<line x1="\##(left)" y1="\##(lower)" x2="\##(right)" y2="\##(lower)" stroke="#9aa3ad" stroke-width="1"/>"##,
            ##"<text x="\##(left - 4)" y="\##(Self.number(y(high) + 4))" text-anchor="end" font-size="10" fill="#4a525c">\##(Self.value(high))</text>"##,
            ##"<text x="\##(left - 4)" y="\##(Self.number(y(low) + 4))" text-anchor="end" font-size="10" fill="#4a525c">\##(Self.value(low))</text>"##,
            ##"<text x="\##(left)" y="\##(height - 6)" font-size="10" fill="#4a525c">\##(Self.escape(Self.day(first)))</text>"##,
            ##"<text x="\##(right)" y="\##(height - 6)" text-anchor="end" font-size="10" fill="#4a525c">\##(Self.escape(Self.day(last)))</text>"##,
        ]
        for line in series where !line.points.isEmpty {
            let coordinates = line.points.map { "\(Self.number(x($0.day))),\(Self.number(y($0.value)))" }
            parts.append(##"<polyline points="\##(coordinates.joined(separator: " "))" fill="none" stroke="\##(line.colour)" stroke-width="2"/>"##)
            parts += line.points.map {
                ##"<circle cx="\##(Self.number(x($0.day)))" cy="\##(Self.number(y($0.value)))" r="2.5" fill="\##(line.colour)"/>"##
            }
        }
        return (parts + ["</svg>"]).joined()
    }

    /// What the chart shows, in words, for screen readers and the caption: first and last reading of each line.
    package var summary: String {
        let lines = series.compactMap { line -> String? in
            guard let first = line.points.first, let last = line.points.last else { return nil }
            let from = "\(Self.value(first.value)) \(unit) on \(Self.day(first.day))"
            return line.points.count == 1
                ? "\(line.name) \(from)"
                : "\(line.name) from \(from) to \(Self.value(last.value)) \(unit) on \(Self.day(last.day)), \(line.points.count) readings"
        }
        return "\(title): " + lines.joined(separator: "; ")
    }

    /// The calendar day a moment falls on: `3 Mar 2026`.
    private static func day(_ moment: Double) -> String { ReadableTime.day(CalendarDate(daysSinceEpoch: Int(moment.rounded(.down)))) }

    package static func value(_ number: Double) -> String { number.rounded() == number ? String(Int(number)) : String(format: "%.1f", number) }
    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
    private static func escape(_ text: String) -> String { FastHTMLEscaping().escapeText(text) }

    package init(title: String, unit: String, series: [Series], width: Double = 320.0, height: Double = 120.0) {
        self.title = title
        self.unit = unit
        self.series = series
        self.width = width
        self.height = height
    }
}
