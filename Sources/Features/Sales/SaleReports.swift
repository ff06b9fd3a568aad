import ClinicBoxCore
import GRDB
import Inventory
import Patients
import Prescriptions

extension SalesModule {
    /// The module's reports, offered by the reports module where this one is on.
    package var reports: [Report] {
        [
            Report(
                id: "sales-per-day",
                summary: "sales per day: count, total, tax and refunds",
                columns: ["date", "sales", "total", "tax", "refunded"],
                moneyColumns: ["total", "tax", "refunded"],
                summedColumns: ["sales", "total", "tax", "refunded"],
                sql: { branches in
                    """
                    SELECT sale_date, count(*), sum(total), sum(tax), sum(refunded) FROM sales
                    WHERE sale_date BETWEEN ? AND ? AND branch IN (\(branches)) GROUP BY sale_date ORDER BY sale_date
                    """
                },
                arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
            ),
            Report(
                id: "sales-by-product",
                summary: "units sold and revenue per product, net of refunds (before sale discounts)",
                columns: ["product_id", "sku", "name", "units", "revenue"],
                moneyColumns: ["revenue"],
                summedColumns: ["units", "revenue"],
                sql: { branches in
                    """
                    SELECT p.id, p.sku, p.name, sum(i.quantity - i.refunded_quantity),
                        sum(i.line_total * (i.quantity - i.refunded_quantity) / i.quantity)
                    FROM sale_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id
                    WHERE s.sale_date BETWEEN ? AND ? AND s.branch IN (\(branches)) GROUP BY p.id ORDER BY 5 DESC, p.name
                    """
                },
                arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
            ),
        ]
    }
}
