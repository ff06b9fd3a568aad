import Foundation

/// IANA time zone names this machine knows, read once.
enum TimeZoneNames {
    static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])
}
