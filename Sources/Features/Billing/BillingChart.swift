import ClinicBoxCore
import GRDB

extension BillingModule {
    /// On the chart: *Invoice* among the patient's actions, issued invoices and payments on the timeline, and the
    /// account (what the patient owes or holds, with the statement) above it — all from the reader's branches. On
    /// the page of billable work (a signed visit), *Start an invoice* for its patient in its branch.
    package var chart: ChartContribution {
        ChartContribution(
            actions: [PatientAction(label: "Invoice", path: "invoices/new", action: .billingWrite)],
            workActions: [PatientAction(label: "Start an invoice", path: "invoices/new", action: .billingWrite)],
            timeline: timelineSources,
            sections: [accountSection]
        )
    }

    var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "invoice",
                action: .billingRead,
                query: """
                    SELECT issued_at, id, number, total, currency, status FROM invoices
                    WHERE patient_id = :patient AND status != 'draft' AND \(ChartReader.inBranches("branch"))
                    """
            ) { row, _ in
                let (number, total, currency, status): (String, Int64, String, String) = (row[0], row[1], row[2], row[3])
                return (
                    "Invoice \(number)", "\(Money.format(total, currency: currency)) · \(InvoicesPages.statusText[status] ?? status)",
                    "/billing/invoices/\(row.id)"
                )
            },
            TimelineSource(
                kind: "payment",
                action: .billingRead,
                query: """
                    SELECT created_at, id, number, amount, method, currency, patient_id FROM payments
                    WHERE patient_id = :patient AND \(ChartReader.inBranches("branch"))
                    """
            ) { row, _ in
                let (number, amount, method, currency, patient): (String, Int64, String, String, Int64) = (row[0], row[1], row[2], row[3], row[4])
                return (
                    "Payment \(number)", "\(Money.format(amount, currency: currency)) by \(method.replacingOccurrences(of: "_", with: " "))",
                    "/billing/patients/\(patient)/statement"
                )
            },
        ]
    }

    /// What the patient owes or holds, in one line, with the statement and a new invoice.
    var accountSection: ChartSection {
        ChartSection(place: .beforeTimeline) { db, showing -> PatientAccount? in
            guard showing.reader.may(.billingRead, showing.context.tenant.permissions) else { return nil }
            let branches = PatientAccount.branchList(showing.reader.branches)
            return try PatientAccount.read(db, patient: showing.patient, branches: branches)
        } render: { account, showing in
            guard let account else { return nil }
            let money = { Money.format($0, currency: showing.context.tenant.definition.currency) }
            let data: [String: Any] = [
                "account": account.balance > 0
                    ? "Owes \(money(account.balance))" : account.balance < 0 ? "In credit: \(money(-account.balance))" : "Nothing owed",
                "owes": account.balance > 0,
                "statement": "\(showing.context.basePath)/billing/patients/\(showing.patient)/statement",
            ]
            return showing.pages.fragment(showing.context, "chart-account", data: data)
        }
    }
}
