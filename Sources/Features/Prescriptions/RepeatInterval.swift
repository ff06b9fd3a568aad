import ClinicBoxCore
import Foundation
import GRDB
import Inventory
import Patients

/// How soon a repeat may be dispensed: the days one supply lasts. Given per item (`repeat_interval_days`), or worked
/// out from the dose as written — units per dose × doses a day — and the quantity: "2 tablets 3 times a day" with
/// 60 tablets lasts 10 days. A dose that says neither ("as directed") gets `fallbackDays`. A repeat asked for before
/// the last supply has run out is dispensed only with a reason, which is kept and audited.
package enum RepeatInterval {
    package static let fallbackDays: Int64 = 28
    package static let reasonField = "early_repeat_reason"
    package static let earlyTitle = "Early repeat"

    /// Doses a day the dose text names, or nil when it does not say.
    package static func dosesPerDay(_ dose: String) -> Double? {
        let text = " " + dose.lowercased().replacingOccurrences(of: ",", with: " ") + " "
        let spelled: [(String, Double)] = [
            (" once a day", 1), (" once daily", 1), (" daily", 1), (" every day", 1), (" at night", 1), (" in the morning", 1), (" nocte", 1),
            (" od ", 1),
            (" twice a day", 2), (" twice daily", 2), (" bd ", 2), (" bid ", 2), (" three times a day", 3), (" three times daily", 3), (" tds ", 3),
            (" tid ", 3), (" four times a day", 4), (" four times daily", 4), (" qds ", 4), (" qid ", 4), (" weekly", 1.0 / 7),
            (" once a week", 1.0 / 7),
        ]
        if let match = text.firstMatch(of: /(\d+)\s*(?:times|x)\s*(?:a|per)\s*day/), let times = Double(match.1) { return times }
        if let match = text.firstMatch(of: /every\s*(\d+)\s*(?:hours|hourly|h\b)/), let hours = Double(match.1), hours > 0 { return 24 / hours }
        // The longest phrase first: "twice daily" before "daily".
        return spelled.sorted { $0.0.count > $1.0.count }.first { text.contains($0.0) }?.1
    }

    /// Units a dose takes: the number it starts with ("2 tablets …"), else one.
    package static func unitsPerDose(_ dose: String) -> Double {
        dose.trimmingCharacters(in: .whitespaces).firstMatch(of: /^(\d+(?:\.\d+)?)/).flatMap { Double($0.1) } ?? 1
    }

    /// The days one supply of `quantity` lasts at `dose`, at least one.
    package static func days(dose: String, quantity: Int64) -> Int64 {
        guard let perDay = dosesPerDay(dose) else { return fallbackDays }
        return max(1, Int64((Double(quantity) / (unitsPerDose(dose) * perDay)).rounded(.down)))
    }

    /// When the item's supply handed out last runs out, if a repeat of it now would come early: the item has had at
    /// least one whole supply, and its last dispensing was fewer than its interval's days ago.
    package static func earlyUntil(_ db: Database, item: Row, today: CalendarDate, timeZone: TimeZone) throws -> CalendarDate? {
        let (quantity, dispensed): (Int64, Int64) = (item["quantity"], item["dispensed_quantity"])
        // A repeat starts once whole supplies have been handed out; the rest of a supply owed is not a repeat.
        guard dispensed >= quantity, dispensed % quantity == 0, let interval = item["repeat_interval_days"] as Int64?,
            let last = try String.fetchOne(
                db,
                sql: "SELECT max(at) FROM prescription_dispensings WHERE prescription_item_id = ?",
                arguments: [item["id"] as Int64]
            ),
            let lastDay = CalendarDate(dayOf: last, in: timeZone)
        else { return nil }
        let due = lastDay.adding(days: Int(interval))
        return today < due ? due : nil
    }
}
