import Foundation
import GRDB

extension TenantSchema {
    /// What an API key may do and where from. Keys made before have NULL in both: they keep every right of the
    /// admin who made them, from any address, as they did.
    package static let apiKeyLimits = TenantSchema(steps: [
        Step(id: "accounts.v8") { db, _ in
            try db.execute(sql: "ALTER TABLE access_tokens ADD COLUMN scope TEXT; ALTER TABLE access_tokens ADD COLUMN allowed_addresses TEXT")
        }
    ])
}

/// The limits an admin puts on an API key: only some of their own actions (a booking kiosk that reads
/// appointments and nothing else), only from some addresses, only until a date.
package struct APIKeyLimits: Sendable, Equatable {
    /// The actions the key may do (each also allowed to its creator's role); nil: all the creator may.
    package var actions: [String]?
    /// Where requests with the key may come from; nil: anywhere.
    package var addresses: [AddressRange]?
    /// The last day the key works, where the clinic is; nil: until revoked.
    package var lastDay: CalendarDate?

    package init(actions: [String]? = nil, addresses: [AddressRange]? = nil, lastDay: CalendarDate? = nil) {
        self.actions = actions.map { Array(Set($0)).sorted() }
        self.addresses = addresses
        self.lastDay = lastDay
    }

    /// The stored forms: a JSON array of action names, and the ranges separated by spaces.
    var storedScope: String? { actions.map { String(decoding: JSON.encode($0), as: UTF8.self) } }
    var storedAddresses: String? { addresses.map { $0.map(\.description).joined(separator: " ") } }

    /// When the key stops working: the midnight after its last day, where the clinic is.
    func expiry(in timeZone: TimeZone) -> String? {
        lastDay.map { Timestamp.string($0.adding(days: 1).start(in: timeZone)) }
    }

    static func scope(stored: String?) -> Set<String>? {
        stored.map { Set((try? JSONDecoder().decode([String].self, from: Data($0.utf8))) ?? []) }
    }

    static func addresses(stored: String?) -> [AddressRange]? {
        stored.map { $0.split(separator: " ").compactMap { AddressRange(String($0)) } }
    }

    /// Reads the limits an admin typed or sent; `mayDo` says which actions the creator has. Messages are for the
    /// field they belong to, in words.
    package static func read(
        actions: [String]?,
        addresses: String?,
        lastDay: String?,
        today: CalendarDate,
        mayDo: (String) -> Bool
    ) -> (limits: APIKeyLimits, errors: [String: String]) {
        var errors: [String: String] = [:]
        if let actions, let refused = actions.first(where: { !mayDo($0) }) {
            errors["actions"] = "“\(refused)” is not something you may do, so a key you make cannot do it either"
        } else if actions?.isEmpty == true {
            errors["actions"] = "choose at least one thing the key may do"
        }
        var ranges: [AddressRange]?
        if let addresses, !addresses.trimmingSpaces.isEmpty {
            let words = addresses.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\r" }).map(String.init)
            if let bad = words.first(where: { AddressRange($0) == nil }) {
                errors["allowed_addresses"] = "“\(bad)” is not an address or range; write e.g. 192.168.1.0/24 or 10.0.0.7"
            } else if words.count > 20 {
                errors["allowed_addresses"] = "at most 20 addresses or ranges"
            } else {
                ranges = words.compactMap(AddressRange.init)
            }
        }
        var day: CalendarDate?
        if let lastDay, !lastDay.trimmingSpaces.isEmpty {
            if let date = CalendarDate(lastDay.trimmingSpaces) {
                if date < today { errors["valid_until"] = "this date has passed; choose today or a later day" } else { day = date }
            } else {
                errors["valid_until"] = "write a date as YYYY-MM-DD"
            }
        }
        return (APIKeyLimits(actions: actions, addresses: ranges, lastDay: day), errors)
    }
}
