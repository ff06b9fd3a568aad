import ClinicBoxCore
import GRDB

extension BillingSchema {
    /// Payers' shares. A patient holds memberships (payer, member number, valid until); an invoice for a payer
    /// splits each line into the payer's share and the patient's, with a pre-authorisation reference where the
    /// payer needs one; issuing it opens the payer's **claim**, whose answers (submitted, paid in part or in full,
    /// rejected with a reason) are appended as events. The invoice's payer fields are as final as the rest of it
    /// once issued, so the rule that locks issued invoices is written again with them.
    static let claims = TenantSchema.Step(id: "billing.v5") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE payer_memberships (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    payer TEXT NOT NULL,
                    member_number TEXT NOT NULL CHECK (member_number != ''),
                    valid_until TEXT,
                    created_by INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (patient_id, payer, member_number)
                ) STRICT;
                ALTER TABLE invoices ADD COLUMN payer TEXT;
                ALTER TABLE invoices ADD COLUMN member_number TEXT;
                ALTER TABLE invoices ADD COLUMN payer_total INTEGER NOT NULL DEFAULT 0 CHECK (payer_total >= 0);
                ALTER TABLE invoice_lines ADD COLUMN payer_share INTEGER NOT NULL DEFAULT 0 CHECK (payer_share >= 0);
                ALTER TABLE invoice_lines ADD COLUMN preauthorisation TEXT;
                ALTER TABLE payments ADD COLUMN claim_id INTEGER REFERENCES claims (id);

                CREATE TABLE claims (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices (id),
                    payer TEXT NOT NULL,
                    member_number TEXT NOT NULL,
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    status TEXT NOT NULL CHECK (status IN ('to_submit', 'submitted', 'part_paid', 'paid', 'rejected')),
                    paid INTEGER NOT NULL DEFAULT 0 CHECK (paid BETWEEN 0 AND amount),
                    submitted_on TEXT,
                    rejection_reason TEXT,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL))
                ) STRICT;
                CREATE INDEX claims_by_status ON claims (status, payer);
                CREATE TABLE claim_events (
                    id INTEGER PRIMARY KEY,
                    claim_id INTEGER NOT NULL REFERENCES claims (id),
                    status TEXT NOT NULL,
                    amount INTEGER,
                    note TEXT,
                    by INTEGER NOT NULL,
                    at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX claim_events_by_claim ON claim_events (claim_id);

                -- A claim's invoice, payer, member number and amount never change, what the payer paid only grows,
                -- and a paid or rejected claim is closed; its history is only ever added to.
                CREATE TRIGGER claims_keep_what_they_claim BEFORE UPDATE ON claims
                WHEN NEW.invoice_id != OLD.invoice_id OR NEW.payer != OLD.payer OR NEW.member_number != OLD.member_number
                    OR NEW.amount != OLD.amount OR NEW.number != OLD.number OR NEW.paid < OLD.paid OR NEW.created_at != OLD.created_at
                    OR OLD.status IN ('paid', 'rejected')
                BEGIN SELECT RAISE(ABORT, 'a claim keeps what it claims; a paid or rejected claim is closed'); END;
                CREATE TRIGGER claims_are_kept BEFORE DELETE ON claims BEGIN SELECT RAISE(ABORT, 'a claim is kept'); END;
                CREATE TRIGGER claim_events_are_final BEFORE UPDATE ON claim_events BEGIN SELECT RAISE(ABORT, 'a claim''s history never changes'); END;
                CREATE TRIGGER claim_events_are_kept BEFORE DELETE ON claim_events BEGIN SELECT RAISE(ABORT, 'a claim''s history is kept'); END;

                DROP TRIGGER invoices_issued_are_final;
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
                    OR NEW.payer IS NOT OLD.payer OR NEW.member_number IS NOT OLD.member_number OR NEW.payer_total != OLD.payer_total
                    OR NEW.paid < OLD.paid OR NEW.credited < OLD.credited)
                BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes; a credit note cancels it'); END;
                """
        )
    }

    /// The clinic's day a claim was rejected on: its statement line sorts by the tenant's days, and `updated_at`
    /// is UTC, a day early or late near midnight.
    static let claimDays = TenantSchema.Step(id: "billing.v6") { db, _ in
        try db.execute(sql: "ALTER TABLE claims ADD COLUMN rejected_on TEXT")
    }
}
