import ClinicBoxCore
import GRDB
import Inventory
import Patients
import Prescriptions

/// How a sale reads in the API: the sale with its items (and the batches they came from) and payments.
package enum SaleJSON {
    package static let object = """
        json_object(\(SQLJSON.columns("sales", ["id", "number", "branch", "sale_date", "status", "patient_id", "prescription_id", "prescription_reference", "subtotal", "discount", "tax", "total", "tax_rate_basis_points"])),
            'prices_include_tax', \(SQLJSON.bool("sales.prices_include_tax")),
            \(SQLJSON.columns("sales", ["paid", "change_due", "refunded", "cashier_id", "version", "created_at", "updated_at"])),
            'items', json((SELECT json_group_array(json(item)) FROM (
                SELECT json_object('id', i.id, 'product_id', i.product_id, 'sku', p.sku, 'name', p.name, 'quantity', i.quantity,
                    'line_total', i.line_total, 'refunded_quantity', i.refunded_quantity, 'tax_class', i.tax_class, 'tax_rate_basis_points', i.tax_rate,
                    'tax', i.tax,
                    'batches', json((SELECT json_group_array(json(batch)) FROM (
                        SELECT json_object('batch_id', b.batch_id, 'batch_number', s.batch_number, 'expiry', s.expiry, 'quantity', b.quantity,
                            'unit_price', b.unit_price) AS batch
                        FROM sale_item_batches b JOIN stock_batches s ON s.id = b.batch_id WHERE b.sale_item_id = i.id ORDER BY s.expiry, s.id)))) AS item
                FROM sale_items i JOIN products p ON p.id = i.product_id WHERE i.sale_id = sales.id ORDER BY i.id))),
            'payments', json((SELECT json_group_array(json(payment)) FROM (
                SELECT json_object('method', method, 'amount', amount, 'reference', reference) AS payment
                FROM sale_payments WHERE sale_id = sales.id ORDER BY id))))
        """

    package static func fetch(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, object, from: "sales", id: id, entity: "sale")
    }
}
