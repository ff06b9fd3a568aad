import Foundation

/// Moments as people at the clinic read them: in the tenant's time zone, day first, no seconds
/// (`1 Dec 2026, 10:50`). Stored and API timestamps stay ISO 8601 in UTC (`2026-12-01T09:50:24.242Z`); pages,
/// messages and printouts show this instead.
package struct ReadableTime: Sendable {
    package let timeZone: TimeZone

    package static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `1 Dec 2026, 10:50` for a stored timestamp, or for a local one already in the tenant's time
    /// (`2026-12-01T10:50`, as appointments are written); the text itself if it is neither.
    package func moment(_ timestamp: String) -> String {
        if timestamp.utf8.count == 16, let local = LocalDateTime.parts(of: timestamp) { return "\(Self.day(local.date)), \(local.clock)" }
        guard let local = local(timestamp) else { return timestamp }
        return "\(Self.day(local.date)), \(local.clock)"
    }

    /// `10:50`, the local time of day of a stored timestamp.
    package func clock(_ timestamp: String) -> String {
        local(timestamp)?.clock ?? timestamp
    }

    /// `2026-12-01T10:50:24+01:00`: a stored timestamp in ISO 8601 with the tenant's offset then, as a
    /// spreadsheet reads it (CSV); the text itself if it is not one.
    package func iso(_ timestamp: String) -> String {
        guard let local = local(timestamp) else { return timestamp }
        let offset = abs(local.offset) / 60
        let zone = (local.offset < 0 ? "-" : "+") + String(offset / 60).leftPadded(to: 2) + ":" + String(offset % 60).leftPadded(to: 2)
        return "\(local.date)T\(local.clock):\(String(local.second).leftPadded(to: 2))\(zone)"
    }

    /// `1 Dec 2026` for a stored date (`2026-12-01`), as every page shows one; the text itself if it is not a date.
    package static func day(_ text: String) -> String {
        CalendarDate(text).map(day) ?? text
    }

    /// `1 Dec 2026`.
    package static func day(_ date: CalendarDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// The local date and `HH:MM` of `2026-12-01T09:50:24Z` (fractions of a second allowed), worked out with
    /// arithmetic and the zone's offset at that moment: no formatter per call, safe on any thread.
    private func local(_ timestamp: String) -> (date: CalendarDate, clock: String, second: Int, offset: Int)? {
        guard let date = CalendarDate.leading(timestamp) else { return nil }
        var text = timestamp
        let parsed = text.withUTF8 { bytes -> (Int, Int, Int)? in
            guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes[bytes.count - 1] == UInt8(ascii: "Z"),
                let hour = CalendarDate.digits(bytes, 11..<13), let minute = CalendarDate.digits(bytes, 14..<16),
                let second = CalendarDate.digits(bytes, 17..<19)
            else { return nil }
            return (hour, minute, second)
        }
        guard let (hour, minute, second) = parsed else { return nil }
        let utcSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcSeconds)))
        let localSeconds = utcSeconds + Int64(offset)
        let days = localSeconds >= 0 ? localSeconds / 86_400 : (localSeconds - 86_399) / 86_400
        let secondsOfDay = Int(localSeconds - days * 86_400)
        let clock = String(secondsOfDay / 3600).leftPadded(to: 2) + ":" + String(secondsOfDay % 3600 / 60).leftPadded(to: 2)
        return (CalendarDate(daysSinceEpoch: Int(days)), clock, secondsOfDay % 60, offset)
    }
}
