import ClinicBoxCore
import GRDB
import Inventory
import Patients
import Prescriptions

extension SalesModule {
    /// Each sale to the patient: what was bought (one line per product) and its number.
    package var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "sale",
                action: .salesRead,
                query: """
                    SELECT s.created_at, s.id, s.number, p.name, i.quantity
                    FROM sales s JOIN sale_items i ON i.sale_id = s.id JOIN products p ON p.id = i.product_id WHERE s.patient_id = :patient AND \(ChartReader.inBranches("s.branch"))
                    """
            ) { row, _ in
                let (number, product, quantity): (String, String, Int64) = (row[0], row[1], row[2])
                return ("Sold \(product) × \(quantity)", "sale \(number)", "/sales/\(row.id)")
            }
        ]
    }
}
