import ClinicBoxCore

/// Invoices and credit notes as the API answers them, rendered by SQLite in the query that reads them.
package enum InvoiceJSON {
    /// The amounts of an invoice and what is left to pay (`balance`: negative when more was paid than is owed).
    static let amounts = """
        \(SQLJSON.columns("invoices", ["subtotal", "discount_total", "tax", "total", "paid", "credited"])), \
        'balance', invoices.total - invoices.credited - invoices.paid
        """

    /// One invoice in a list: who, where, which number, how much.
    package static let summary = """
        json_object('id', invoices.id, \(SQLJSON.columns("invoices", ["number", "status", "patient_id"])), \
        'patient_number', (SELECT number FROM patients WHERE patients.id = invoices.patient_id), \
        \(SQLJSON.columns("invoices", ["branch", "issued_on", "currency"])), \(amounts), \
        \(SQLJSON.columns("invoices", ["version", "created_at", "updated_at"])))
        """

    static let line = """
        json_object(\(SQLJSON.columns("l", ["id", "position", "source", "service_id", "item_code", "description", "reason", "quantity", "unit_price", "discount", "discount_reason", "tax_class"])), \
        'tax_rate_basis_points', l.tax_rate, \(SQLJSON.columns("l", ["discount_total", "net", "tax", "total", "payer_share", "preauthorisation"])), \
        'patient_share', l.total - l.payer_share, \
        'credited_by', (SELECT credit_notes.number FROM credit_note_lines JOIN credit_notes ON credit_notes.id = credit_note_lines.credit_note_id \
        WHERE credit_note_lines.invoice_line_id = l.id))
        """

    /// One invoice with its lines and credit notes.
    package static let full = """
        json_object('id', invoices.id, \(SQLJSON.columns("invoices", ["number", "status", "patient_id"])), \
        'patient_number', (SELECT number FROM patients WHERE patients.id = invoices.patient_id), \
        \(SQLJSON.columns("invoices", ["branch", "issued_on", "currency"])), 'prices_include_tax', \(SQLJSON.bool("invoices.prices_include_tax")), \
        \(SQLJSON.columns("invoices", ["discount", "discount_reason"])), \(amounts), \
        \(SQLJSON.columns("invoices", ["buyer_tax_number", "notes", "payer", "member_number", "payer_total", "version", "created_at", "updated_at"])), \
        'patient_total', invoices.total - invoices.payer_total, \
        'claim_id', (SELECT c.id FROM claims c WHERE c.invoice_id = invoices.id), \
        'claim_number', (SELECT c.number FROM claims c WHERE c.invoice_id = invoices.id), \
        'claim_status', (SELECT c.status FROM claims c WHERE c.invoice_id = invoices.id), \
        'lines', (SELECT json_group_array(json(line)) FROM (SELECT \(line) AS line FROM invoice_lines l WHERE l.invoice_id = invoices.id ORDER BY l.position)), \
        'credit_notes', (SELECT json_group_array(json_object('id', credit_notes.id, \(SQLJSON.columns("credit_notes", ["number", "issued_on", "reason", "total"])))) \
        FROM credit_notes WHERE credit_notes.invoice_id = invoices.id))
        """

    /// A credit note with the lines it credits.
    package static let creditNote = """
        json_object('id', credit_notes.id, 'invoice_id', credit_notes.invoice_id, \
        'invoice_number', (SELECT number FROM invoices WHERE invoices.id = credit_notes.invoice_id), \
        \(SQLJSON.columns("credit_notes", ["number", "issued_on", "reason", "net", "tax", "total", "created_at"])), \
        'lines', (SELECT json_group_array(json_object('invoice_line_id', cl.invoice_line_id, 'description', l.description, \
        'net', cl.net, 'tax', cl.tax, 'total', cl.total)) \
        FROM credit_note_lines cl JOIN invoice_lines l ON l.id = cl.invoice_line_id WHERE cl.credit_note_id = credit_notes.id))
        """
}

extension InvoiceJSON {
    /// A payment with what it settled and what is left of it.
    package static let payment = """
        json_object('id', payments.id, \(SQLJSON.columns("payments", ["number", "patient_id", "branch", "method", "amount", "currency", "reference", "received_on", "created_at"])), \
        'settled', (SELECT json_group_array(json_object('invoice_id', a.invoice_id, 'invoice_number', i.number, 'amount', a.amount)) \
        FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = payments.id), \
        'refunded', (SELECT coalesce(sum(amount), 0) FROM refunds WHERE refunds.payment_id = payments.id), \
        'refunds', (SELECT json_group_array(json_object('id', r.id, 'number', r.number, 'amount', r.amount, 'method', r.method, 'reason', r.reason, \
        'refunded_on', r.refunded_on)) FROM refunds r WHERE r.payment_id = payments.id))
        """

    package static let refund = """
        json_object('id', refunds.id, 'payment_id', refunds.payment_id, \
        'payment_number', (SELECT number FROM payments WHERE payments.id = refunds.payment_id), \
        \(SQLJSON.columns("refunds", ["number", "patient_id", "branch", "method", "amount", "reason", "refunded_on", "created_at"])))
        """
}
