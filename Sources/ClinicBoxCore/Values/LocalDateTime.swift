import Foundation

/// A wall-clock time in a tenant's time zone (`2026-11-24T09:30`), and the instant it stands for.
/// Appointments are entered and listed in the tenant's local time and stored as UTC instants, so overlaps
/// are exact across daylight-saving changes.
package struct LocalDateTime: Sendable {
    package let instant: Date
    package let timeZone: TimeZone

    /// `YYYY-MM-DDTHH:MM` (local to `timeZone`), or a full ISO 8601 time with `Z` or an offset.
    package init?(_ text: String, timeZone: TimeZone) {
        self.timeZone = timeZone
        if let instant = try? Date(text, strategy: .iso8601) {
            self.instant = instant
            return
        }
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = CalendarDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]), let minute = Int(clock[1]),
            (0...23).contains(hour), (0...59).contains(minute), clock.count == 2 || clock[2] == "00"
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
        // A time skipped by a daylight-saving jump does not exist on the wall clock.
        guard let instant = calendar.date(from: components),
            calendar.dateComponents([.hour, .minute], from: instant) == DateComponents(hour: hour, minute: minute)
        else { return nil }
        self.instant = instant
    }

    /// The date and `HH:MM` of a local `YYYY-MM-DDTHH:MM`, without placing it in a zone.
    package static func parts(of text: String) -> (date: CalendarDate, clock: String)? {
        guard text.utf8.count == 16, let date = CalendarDate.leading(text) else { return nil }
        var text = text
        let valid = text.withUTF8 { bytes in
            guard bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), let hour = CalendarDate.digits(bytes, 11..<13),
                let minute = CalendarDate.digits(bytes, 14..<16)
            else { return false }
            return (0...23).contains(hour) && (0...59).contains(minute)
        }
        return valid ? (date, String(text.suffix(5))) : nil
    }

    package init(instant: Date, timeZone: TimeZone) {
        self.instant = instant
        self.timeZone = timeZone
    }

    /// `2026-11-24T08:30:00Z`, as stored.
    package var utc: String { Timestamp.string(instant) }

    /// `2026-11-24T09:30`, as the clinic reads it.
    package var local: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    package var localDate: CalendarDate { CalendarDate(String(local.prefix(10)))! }

    package func adding(minutes: Int64) -> LocalDateTime {
        LocalDateTime(instant: instant.addingTimeInterval(Double(minutes) * 60), timeZone: timeZone)
    }
}
