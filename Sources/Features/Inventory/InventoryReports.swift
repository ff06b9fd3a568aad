import ClinicBoxCore
import GRDB

extension InventoryModule {
    /// The module's reports, offered by the reports module where this one is on.
    package var reports: [Report] {
        [
            Report(
                id: "stock-value",
                summary: "in-date stock per branch at cost and at selling price",
                columns: ["branch", "products", "units", "cost_value", "retail_value"],
                moneyColumns: ["cost_value", "retail_value"],
                summedColumns: ["units", "cost_value", "retail_value"],
                usesPeriod: false,
                sql: { branches in
                    """
                    SELECT branch, count(DISTINCT product_id), sum(quantity), sum(quantity * cost_price), sum(quantity * selling_price)
                    FROM stock_batches WHERE quantity > 0 AND expiry >= ? AND branch IN (\(branches)) GROUP BY branch ORDER BY branch
                    """
                },
                arguments: { StatementArguments([$0.today.description]) + StatementArguments($0.branches) }
            ),
            Report(
                id: "expiring-stock",
                summary: "batches expiring within 90 days (or the days asked for), expired ones included",
                columns: ["branch", "sku", "name", "batch_number", "expiry", "quantity", "cost_value"],
                moneyColumns: ["cost_value"],
                summedColumns: ["quantity", "cost_value"],
                usesPeriod: false,
                sql: { branches in
                    """
                    SELECT b.branch, p.sku, p.name, b.batch_number, b.expiry, b.quantity, b.quantity * b.cost_price
                    FROM stock_batches b JOIN products p ON p.id = b.product_id
                    WHERE b.quantity > 0 AND b.expiry <= ? AND b.branch IN (\(branches)) ORDER BY b.expiry, p.name
                    """
                },
                arguments: { StatementArguments([$0.today.adding(days: $0.days).description]) + StatementArguments($0.branches) }
            ),
        ]
    }
}
