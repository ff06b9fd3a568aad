import ClinicBoxCore
import GRDB

/// An invoice split between a payer and the patient: the payer (`payers:` in the tenant file), the patient's
/// member number with it (a membership valid on the invoice's day), and the payer's share of each line — its
/// usual percentage, or what the line says — never more than the line. The patient's share is the rest.
struct PayerSplit: Sendable, Equatable {
    let payer: TenantDefinition.Payer
    let memberNumber: String
    let shares: [Int64]
    let preauthorisations: [String?]

    var total: Int64 { shares.reduce(0, +) }

    /// The split `payerCode` asks for over the priced lines, or nil for no payer; every problem under its field.
    static func decide(
        _ db: Database,
        payer payerCode: String?,
        patient: Int64,
        asked: [InvoiceDraft.Line],
        charged: [Charges.Charged],
        terms: BillingTerms
    ) throws -> PayerSplit? {
        var errors: [String: String] = [:]
        guard let payerCode, !payerCode.isEmpty else {
            for (index, line) in asked.enumerated() where line.payerShare != nil && line.payerShare != .amount(0) {
                errors["lines[\(index)].payer_share"] = "needs a payer on the invoice"
            }
            if !errors.isEmpty { throw Problem.invalid(errors) }
            return nil
        }
        guard let payer = terms.payers.first(where: { $0.code.lowercased() == payerCode.lowercased() }) else {
            let known = terms.payers.map(\.code).joined(separator: ", ")
            throw Problem.invalid("payer", "must be one of this clinic's payers: \(known.isEmpty ? "none (payers: in the tenant file)" : known)")
        }
        guard let member = try Membership.valid(db, patient: patient, payer: payer.code, on: terms.today) else {
            throw Problem.invalid("payer", "the patient has no membership of \(payer.name) valid today; record their member number first")
        }
        var shares: [Int64] = []
        for (index, (line, priced)) in zip(asked, charged).enumerated() {
            let share = line.payerShare?.amount(of: priced.total) ?? Charges.percentage(payer.sharePercent * 100, of: priced.total)
            if share > priced.total { errors["lines[\(index)].payer_share"] = "is more than the line (\(terms.money(priced.total)))" }
            shares.append(min(share, priced.total))
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return PayerSplit(payer: payer, memberNumber: member.number, shares: shares, preauthorisations: asked.map(\.preauthorisation))
    }

    /// Before issuing: every line the payer pays has its pre-authorisation reference, where the payer needs one.
    static func requirePreauthorisations(_ db: Database, invoice id: Int64, payers: [TenantDefinition.Payer]) throws {
        guard let code = try String.fetchOne(db, sql: "SELECT payer FROM invoices WHERE id = ?", arguments: [id]),
            let payer = payers.first(where: { $0.code == code }), payer.needsPreauthorisation
        else { return }
        let missing = try Int64.fetchAll(
            db,
            sql: "SELECT position FROM invoice_lines WHERE invoice_id = ? AND payer_share > 0 AND preauthorisation IS NULL ORDER BY position",
            arguments: [id]
        )
        guard missing.isEmpty else {
            let lines = missing.map(String.init).joined(separator: ", ")
            throw Problem(
                .unprocessableContent,
                title: "Pre-authorisation needed",
                detail: "\(payer.name) pays only with a pre-authorisation reference: line \(lines) has none.",
                fieldErrors: Dictionary(uniqueKeysWithValues: missing.map { ("lines[\($0 - 1)].preauthorisation", "\(payer.name) asks for one") })
            )
        }
    }
}
