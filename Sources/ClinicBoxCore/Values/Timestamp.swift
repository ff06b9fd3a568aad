import Foundation

/// Times as the databases and the API write them: ISO 8601 in UTC, to the second.
public enum Timestamp {
    package static var now: String { string(Date()) }

    package static func string(_ date: Date) -> String {
        date.formatted(.iso8601)  // 2026-11-23T02:05:00Z
    }

    /// To the millisecond (`2026-11-23T02:05:00.250Z`), for records whose order within a second matters (a
    /// statement lists an invoice before the payment that followed it).
    package static var precise: String {
        Date().formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(
                separator: .omitted
            )
        )
    }

    /// `20261123T020500Z`: sorts by time and is a safe file name.
    public static func fileStamp(_ date: Date) -> String {
        string(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}
