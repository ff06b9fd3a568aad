import ClinicBoxCore
import GRDB

/// The gapless number series of invoices and credit notes, one per kind and year: `INV-2026-000042`. A number is
/// taken in the transaction that issues the document, so a document that is not issued gives its number back.
package enum BillingNumbers {
    package static func next(_ db: Database, _ prefix: String, on day: CalendarDate) throws -> String {
        let series = "\(prefix)-\(day.year)"
        let last = try Int64.fetchOne(
            db,
            sql: "INSERT INTO billing_numbers (series, last) VALUES (?, 1) ON CONFLICT (series) DO UPDATE SET last = last + 1 RETURNING last",
            arguments: [series]
        )
        return "\(series)-\(String(last ?? 1).leftPadded(to: 6))"
    }
}
