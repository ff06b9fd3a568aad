import ClinicBoxCore
import GRDB

/// Billing's tables. What is issued only grows: an issued invoice, its lines, a credit note and its lines are
/// locked by triggers that compare the old row with the new one, so not even SQL typed straight at the file can
/// rewrite them; only what is paid and credited on an invoice grows, and its status follows.
package enum BillingSchema {
    package static let steps = [priceList, invoices, payments, tillSessions, claims, claimDays]

    /// The price list. A price is copied onto an invoice line when it is billed, so changing it here never changes
    /// what an invoice already says.
    static let priceList = TenantSchema.Step(id: "billing.v1") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE billing_services (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    name TEXT NOT NULL,
                    sort_name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('service', 'consultation', 'procedure')),
                    price INTEGER NOT NULL CHECK (price >= 0),
                    tax_class TEXT,
                    active INTEGER NOT NULL CHECK (active IN (0, 1)),
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX billing_services_by_name ON billing_services (sort_name);
                """
        )
    }

    /// Invoices with their lines, credit notes, and the gapless number series of both. Each line keeps what a tax
    /// authority asks of it (item code, tax class and rate, quantity, unit price, discount, tax), fixed at issue.
    static let invoices = TenantSchema.Step(id: "billing.v2") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE billing_numbers (
                    series TEXT PRIMARY KEY,
                    last INTEGER NOT NULL CHECK (last > 0)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE invoices (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    branch TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'part_paid', 'paid', 'credited')),
                    number TEXT UNIQUE,
                    issued_on TEXT,
                    issued_at TEXT,
                    issued_by INTEGER,
                    currency TEXT NOT NULL,
                    prices_include_tax INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
                    discount INTEGER NOT NULL CHECK (discount >= 0),
                    discount_reason TEXT,
                    discount_approved_by INTEGER,
                    subtotal INTEGER NOT NULL,
                    discount_total INTEGER NOT NULL,
                    tax INTEGER NOT NULL,
                    total INTEGER NOT NULL CHECK (total >= 0),
                    paid INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0),
                    credited INTEGER NOT NULL DEFAULT 0 CHECK (credited BETWEEN 0 AND total),
                    buyer_tax_number TEXT,
                    notes TEXT,
                    created_by INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    CHECK ((status = 'draft') = (number IS NULL)),
                    CHECK ((status = 'draft') = (issued_on IS NULL)),
                    CHECK ((status = 'draft') = (issued_at IS NULL))
                ) STRICT;
                CREATE INDEX invoices_by_patient ON invoices (patient_id, issued_at);
                CREATE INDEX invoices_by_status ON invoices (status, branch, id);
                CREATE TABLE invoice_lines (
                    id INTEGER PRIMARY KEY,
                    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                    position INTEGER NOT NULL,
                    service_id INTEGER REFERENCES billing_services (id),
                    source TEXT,
                    item_code TEXT,
                    description TEXT NOT NULL,
                    reason TEXT,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
                    discount INTEGER NOT NULL CHECK (discount >= 0),
                    discount_reason TEXT,
                    discount_approved_by INTEGER,
                    tax_class TEXT NOT NULL,
                    tax_rate INTEGER NOT NULL CHECK (tax_rate BETWEEN 0 AND 10000),
                    discount_total INTEGER NOT NULL CHECK (discount_total >= 0),
                    net INTEGER NOT NULL CHECK (net >= 0),
                    tax INTEGER NOT NULL CHECK (tax >= 0),
                    total INTEGER NOT NULL CHECK (total >= 0),
                    UNIQUE (invoice_id, position)
                ) STRICT;
                CREATE TABLE billed_sources (
                    source TEXT PRIMARY KEY,
                    invoice_line_id INTEGER NOT NULL REFERENCES invoice_lines (id)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE credit_notes (
                    id INTEGER PRIMARY KEY,
                    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                    number TEXT NOT NULL UNIQUE,
                    issued_on TEXT NOT NULL,
                    reason TEXT NOT NULL CHECK (reason != ''),
                    net INTEGER NOT NULL,
                    tax INTEGER NOT NULL,
                    total INTEGER NOT NULL CHECK (total > 0),
                    created_by INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX credit_notes_by_invoice ON credit_notes (invoice_id);
                CREATE TABLE credit_note_lines (
                    credit_note_id INTEGER NOT NULL REFERENCES credit_notes (id),
                    invoice_line_id INTEGER NOT NULL UNIQUE REFERENCES invoice_lines (id),
                    net INTEGER NOT NULL,
                    tax INTEGER NOT NULL,
                    total INTEGER NOT NULL,
                    PRIMARY KEY (credit_note_id, invoice_line_id)
                ) STRICT, WITHOUT ROWID;

                CREATE TRIGGER invoice_lines_added_to_drafts_only BEFORE INSERT ON invoice_lines
                WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) IS NOT 'draft'
                BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes: no line is added to it'); END;
                CREATE TRIGGER invoice_lines_changed_in_drafts_only BEFORE UPDATE ON invoice_lines
                WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
                    OR (SELECT status FROM invoices WHERE id = NEW.invoice_id) IS NOT 'draft'
                BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes: its lines are final'); END;
                CREATE TRIGGER invoice_lines_removed_from_drafts_only BEFORE DELETE ON invoice_lines
                WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
                BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes: its lines are kept'); END;

                CREATE TRIGGER invoices_issued_are_final BEFORE UPDATE ON invoices
                WHEN OLD.status != 'draft' AND (
                    NEW.status = 'draft' OR NEW.number IS NOT OLD.number OR NEW.issued_on IS NOT OLD.issued_on OR NEW.issued_at IS NOT OLD.issued_at
                    OR NEW.issued_by IS NOT OLD.issued_by OR NEW.patient_id != OLD.patient_id OR NEW.branch != OLD.branch
                    OR NEW.currency != OLD.currency OR NEW.prices_include_tax != OLD.prices_include_tax
                    OR NEW.discount != OLD.discount OR NEW.discount_reason IS NOT OLD.discount_reason
                    OR NEW.discount_approved_by IS NOT OLD.discount_approved_by OR NEW.subtotal != OLD.subtotal
                    OR NEW.discount_total != OLD.discount_total OR NEW.tax != OLD.tax OR NEW.total != OLD.total
                    OR NEW.buyer_tax_number IS NOT OLD.buyer_tax_number OR NEW.notes IS NOT OLD.notes
                    OR NEW.created_by != OLD.created_by OR NEW.created_at != OLD.created_at
                    OR NEW.paid < OLD.paid OR NEW.credited < OLD.credited)
                BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes; a credit note cancels it'); END;
                CREATE TRIGGER invoices_issued_are_kept BEFORE DELETE ON invoices WHEN OLD.status != 'draft'
                BEGIN SELECT RAISE(ABORT, 'an issued invoice is kept; a credit note cancels it'); END;

                CREATE TRIGGER credit_notes_are_final BEFORE UPDATE ON credit_notes
                BEGIN SELECT RAISE(ABORT, 'a credit note never changes'); END;
                CREATE TRIGGER credit_notes_are_kept BEFORE DELETE ON credit_notes
                BEGIN SELECT RAISE(ABORT, 'a credit note is kept'); END;
                CREATE TRIGGER credit_note_lines_are_final BEFORE UPDATE ON credit_note_lines
                BEGIN SELECT RAISE(ABORT, 'a credit note never changes'); END;
                CREATE TRIGGER credit_note_lines_are_kept BEFORE DELETE ON credit_note_lines
                BEGIN SELECT RAISE(ABORT, 'a credit note is kept'); END;
                CREATE TRIGGER billing_numbers_only_grow BEFORE UPDATE ON billing_numbers WHEN NEW.last != OLD.last + 1
                BEGIN SELECT RAISE(ABORT, 'a number series only counts up, one at a time'); END;
                CREATE TRIGGER billing_numbers_are_kept BEFORE DELETE ON billing_numbers
                BEGIN SELECT RAISE(ABORT, 'a number series is kept'); END;
                """
        )
    }

    /// Money received and paid back. A payment settles invoices (`payment_allocations`) and what is left of it is
    /// the patient's credit on account, which later settles another invoice (an allocation without a payment). A
    /// refund is a document of its own against a payment, never a negative payment. None of them ever changes.
    static let payments = TenantSchema.Step(id: "billing.v3") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE payments (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    branch TEXT NOT NULL,
                    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money', 'bank_transfer', 'insurer')),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    currency TEXT NOT NULL,
                    reference TEXT,
                    received_on TEXT NOT NULL,
                    received_by INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX payments_by_patient ON payments (patient_id, created_at);
                CREATE INDEX payments_by_day ON payments (received_on, branch);
                CREATE UNIQUE INDEX payments_mobile_money_reference ON payments (reference) WHERE method = 'mobile_money';
                CREATE TABLE payment_allocations (
                    id INTEGER PRIMARY KEY,
                    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
                    payment_id INTEGER REFERENCES payments (id),
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    created_by INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX payment_allocations_by_invoice ON payment_allocations (invoice_id);
                CREATE INDEX payment_allocations_by_payment ON payment_allocations (payment_id);
                CREATE INDEX payment_allocations_by_patient ON payment_allocations (patient_id);
                CREATE TABLE refunds (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    payment_id INTEGER NOT NULL REFERENCES payments (id),
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    branch TEXT NOT NULL,
                    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money', 'bank_transfer')),
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    reason TEXT NOT NULL CHECK (reason != ''),
                    refunded_on TEXT NOT NULL,
                    refunded_by INTEGER NOT NULL,
                    approved_by INTEGER,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX refunds_by_payment ON refunds (payment_id);
                CREATE INDEX refunds_by_patient ON refunds (patient_id, id);

                CREATE TRIGGER payments_are_final BEFORE UPDATE ON payments
                BEGIN SELECT RAISE(ABORT, 'a payment never changes; a refund pays money back'); END;
                CREATE TRIGGER payments_are_kept BEFORE DELETE ON payments
                BEGIN SELECT RAISE(ABORT, 'a payment is kept; a refund pays money back'); END;
                CREATE TRIGGER payment_allocations_are_final BEFORE UPDATE ON payment_allocations
                BEGIN SELECT RAISE(ABORT, 'what a payment settled never changes'); END;
                CREATE TRIGGER payment_allocations_are_kept BEFORE DELETE ON payment_allocations
                BEGIN SELECT RAISE(ABORT, 'what a payment settled is kept'); END;
                CREATE TRIGGER refunds_are_final BEFORE UPDATE ON refunds
                BEGIN SELECT RAISE(ABORT, 'a refund never changes'); END;
                CREATE TRIGGER refunds_are_kept BEFORE DELETE ON refunds
                BEGIN SELECT RAISE(ABORT, 'a refund is kept'); END;
                """
        )
    }

    /// A cashier's till session in a branch: opened with a float, closed with the money counted per method beside
    /// what was expected. One open session per cashier and branch; a closed one never changes.
    static let tillSessions = TenantSchema.Step(id: "billing.v4") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE till_sessions (
                    id INTEGER PRIMARY KEY,
                    branch TEXT NOT NULL,
                    cashier_id INTEGER NOT NULL,
                    cashier_name TEXT NOT NULL,
                    opened_on TEXT NOT NULL,
                    opened_at TEXT NOT NULL,
                    opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
                    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                    closed_at TEXT,
                    difference_reason TEXT,
                    CHECK ((status = 'open') = (closed_at IS NULL))
                ) STRICT;
                CREATE UNIQUE INDEX till_sessions_one_open ON till_sessions (branch, cashier_id) WHERE status = 'open';
                CREATE INDEX till_sessions_by_day ON till_sessions (opened_on, branch);
                CREATE TABLE till_session_counts (
                    session_id INTEGER NOT NULL REFERENCES till_sessions (id),
                    method TEXT NOT NULL,
                    expected INTEGER NOT NULL,
                    counted INTEGER NOT NULL CHECK (counted >= 0),
                    PRIMARY KEY (session_id, method)
                ) STRICT, WITHOUT ROWID;
                CREATE TRIGGER till_sessions_closed_are_final BEFORE UPDATE ON till_sessions
                WHEN OLD.status = 'closed' OR NEW.status != 'closed' OR NEW.branch != OLD.branch OR NEW.cashier_id != OLD.cashier_id
                    OR NEW.opened_at != OLD.opened_at OR NEW.opening_float != OLD.opening_float
                BEGIN SELECT RAISE(ABORT, 'a till session is only ever closed, once'); END;
                CREATE TRIGGER till_sessions_are_kept BEFORE DELETE ON till_sessions
                BEGIN SELECT RAISE(ABORT, 'a till session is kept'); END;
                CREATE TRIGGER till_session_counts_while_open BEFORE INSERT ON till_session_counts
                WHEN (SELECT status FROM till_sessions WHERE id = NEW.session_id) IS NOT 'open'
                BEGIN SELECT RAISE(ABORT, 'a closed session is never counted again'); END;
                CREATE TRIGGER till_session_counts_are_final BEFORE UPDATE ON till_session_counts
                BEGIN SELECT RAISE(ABORT, 'a count never changes'); END;
                CREATE TRIGGER till_session_counts_are_kept BEFORE DELETE ON till_session_counts
                BEGIN SELECT RAISE(ABORT, 'a count is kept'); END;
                """
        )
    }
}
