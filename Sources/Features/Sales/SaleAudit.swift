import ClinicBoxCore
import Inventory
import Patients
import Prescriptions

extension SalesModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "sale",
                label: "Sales",
                verbs: [
                    "sales.create": "completed {}", "sales.refund": "refunded from {}",
                    "patients.allergy_override": "sold {} despite an allergy warning",
                    "sales.controlled_paper_prescription": "took a paper prescription for controlled medicines with {}",
                ],
                moneyFields: ["total", "refunded"],
                // "sale S-000012 (GBP 6.49)".
                names: AuditRecordKind.names(
                    select: "number, total",
                    from: "sales",
                    idColumn: "id",
                    name: { row, tenant in "sale \(row["number"] as String) (\(Money.format(row["total"], currency: tenant.definition.currency)))" },
                    path: { row in "/sales/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
