import Foundation

/// IANA time zone names this machine knows, read once.
package enum TimeZoneNames {
    package static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])
}
