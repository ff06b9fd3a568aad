import ClinicBoxCore
import GRDB

extension BillingModule {
    /// Billing's reports, offered by the reports module where billing is on.
    package var reports: [Report] {
        [
            Report(
                id: "takings",
                summary: "money taken per day, branch, method and cashier: payments less refunds (the till's sales are in sales-per-day)",
                columns: ["date", "branch", "method", "cashier", "taken", "refunded", "net"],
                moneyColumns: ["taken", "refunded", "net"],
                summedColumns: ["taken", "refunded", "net"],
                sql: { branches in
                    """
                    SELECT day, branch, method, cashier, sum(taken), sum(refunded), sum(taken) - sum(refunded) FROM (
                        SELECT p.received_on AS day, p.branch, p.method, coalesce(u.display_name, '') AS cashier, p.amount AS taken, 0 AS refunded
                        FROM payments p LEFT JOIN users u ON u.id = p.received_by
                        WHERE p.received_on BETWEEN ? AND ? AND p.branch IN (\(branches))
                        UNION ALL
                        SELECT r.refunded_on, r.branch, r.method, coalesce(u.display_name, ''), 0, r.amount
                        FROM refunds r LEFT JOIN users u ON u.id = r.refunded_by
                        WHERE r.refunded_on BETWEEN ? AND ? AND r.branch IN (\(branches))
                    ) GROUP BY day, branch, method, cashier ORDER BY day, branch, method, cashier
                    """
                },
                arguments: { query in
                    let period = StatementArguments([query.from.description, query.to.description])
                    return period + StatementArguments(query.branches) + period + StatementArguments(query.branches)
                }
            ),
            Report(
                id: "outstanding-invoices",
                summary: "issued invoices still owed, by how long since they were issued (0–30, 31–60, 61–90, over 90 days)",
                columns: ["invoice", "patient", "issued_on", "days", "0_30", "31_60", "61_90", "over_90"],
                moneyColumns: ["0_30", "31_60", "61_90", "over_90"],
                summedColumns: ["0_30", "31_60", "61_90", "over_90"],
                usesPeriod: false,
                sql: { branches in
                    """
                    SELECT number, patient, issued_on, age,
                        CASE WHEN age <= 30 THEN owed ELSE 0 END, CASE WHEN age BETWEEN 31 AND 60 THEN owed ELSE 0 END,
                        CASE WHEN age BETWEEN 61 AND 90 THEN owed ELSE 0 END, CASE WHEN age > 90 THEN owed ELSE 0 END
                    FROM (
                        SELECT i.number, p.number AS patient, i.issued_on, CAST(julianday(?) - julianday(i.issued_on) AS INTEGER) AS age,
                            i.total - i.credited - i.paid AS owed
                        FROM invoices i JOIN patients p ON p.id = i.patient_id
                        WHERE i.status IN ('issued', 'part_paid') AND i.total - i.credited - i.paid > 0 AND i.branch IN (\(branches))
                    ) ORDER BY issued_on, number
                    """
                },
                arguments: { StatementArguments([$0.today.description]) + StatementArguments($0.branches) }
            ),
        ]
    }
}
