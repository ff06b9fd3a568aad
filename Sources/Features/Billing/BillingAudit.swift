import ClinicBoxCore
import GRDB

extension BillingModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "billing_service",
                label: "Price list",
                verbs: ["billing.service_create": "added {} to the price list", "billing.service_update": "changed {} on the price list"],
                moneyFields: ["price"],
                flagFields: ["active"],
                names: AuditRecordKind.names(
                    select: "code, name",
                    from: "billing_services",
                    idColumn: "id",
                    name: { row, _ in "\(row["name"] as String) (\(row["code"] as String))" },
                    path: { row in "/billing/services/\(row["audit_id"] as Int64)/edit" }
                )
            ),
            AuditRecordKind(
                type: "invoice",
                label: "Invoices",
                verbs: [
                    "billing.invoice_drafted": "drafted {}", "billing.invoice_changed": "changed {}", "billing.invoice_issued": "issued {}",
                    "billing.invoice_credited": "credited {}", "billing.credit_used": "settled {} from credit on account",
                ],
                moneyFields: ["total", "credited", "paid"],
                names: AuditRecordKind.names(
                    select: "invoices.number, patients.first_name, patients.last_name",
                    from: "invoices JOIN patients ON patients.id = invoices.patient_id",
                    idColumn: "invoices.id",
                    name: { row, _ in
                        let patient = "\(row["first_name"] as String) \(row["last_name"] as String)"
                        return (row["number"] as String?).map { "invoice \($0) of \(patient)" } ?? "a draft invoice for \(patient)"
                    },
                    path: { row in "/billing/invoices/\(row["audit_id"] as Int64)" }
                )
            ),
            AuditRecordKind(
                type: "payment",
                label: "Payments",
                verbs: ["billing.payment_taken": "took {}", "billing.refund_paid": "paid back part of {}"],
                moneyFields: ["amount", "credit"],
                names: AuditRecordKind.names(
                    select: "payments.number, payments.method, patients.first_name, patients.last_name",
                    from: "payments JOIN patients ON patients.id = payments.patient_id",
                    idColumn: "payments.id",
                    name: { row, _ in "payment \(row["number"] as String) of \(row["first_name"] as String) \(row["last_name"] as String)" },
                    path: { _ in nil }
                )
            ),
            AuditRecordKind(
                type: "claim",
                label: "Claims",
                verbs: [
                    "billing.claim_submitted": "marked {} submitted", "billing.claim_paid": "recorded the payer's payment of {}",
                    "billing.claim_rejected": "recorded the rejection of {}",
                ],
                moneyFields: ["paid"],
                names: AuditRecordKind.names(
                    select: "claims.number, claims.payer, patients.first_name, patients.last_name",
                    from: "claims JOIN invoices ON invoices.id = claims.invoice_id JOIN patients ON patients.id = invoices.patient_id",
                    idColumn: "claims.id",
                    name: { row, tenant in
                        let code: String = row["payer"]
                        let payer = tenant.definition.payer(code)?.name ?? code
                        return "claim \(row["number"] as String) to \(payer) for \(row["first_name"] as String) \(row["last_name"] as String)"
                    },
                    path: { _ in "/billing/claims" }
                )
            ),
            AuditRecordKind(
                type: "payer_membership",
                label: "Payer memberships",
                verbs: ["billing.membership_added": "recorded {}"],
                names: AuditRecordKind.names(
                    select:
                        "payer_memberships.payer, payer_memberships.member_number, patients.first_name, patients.last_name, patients.id AS patient",
                    from: "payer_memberships JOIN patients ON patients.id = payer_memberships.patient_id",
                    idColumn: "payer_memberships.id",
                    name: { row, tenant in
                        let code: String = row["payer"]
                        let payer = tenant.definition.payer(code)?.name ?? code
                        return "the membership of \(row["first_name"] as String) \(row["last_name"] as String) with \(payer)"
                    },
                    path: { row in "/billing/patients/\(row["patient"] as Int64)/statement" }
                )
            ),
            AuditRecordKind(
                type: "till_session",
                label: "Cash-up",
                verbs: ["billing.till_opened": "opened the till {}", "billing.till_closed": "closed the till {}"],
                moneyFields: ["opening_float", "difference"],
                names: AuditRecordKind.names(
                    select: "branch, cashier_name, opened_on",
                    from: "till_sessions",
                    idColumn: "id",
                    name: { row, tenant in
                        "of \(row["cashier_name"] as String) at \(tenant.branchName(row["branch"])) on \(row["opened_on"] as String)"
                    },
                    path: { row in "/billing/cash-up/\(row["audit_id"] as Int64)" }
                )
            ),
        ]
    }
}
