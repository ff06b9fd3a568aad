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
            )
        ]
    }
}
