import Mustache

/// What `printout` (the layout of every printed document) shows around a document: the tenant's letterhead — logo,
/// name, the branch and its address, contact and tax number — the paper it is laid out for, and, on screen only,
/// the way back to the document's page. No navigation, buttons or footer: what prints is the document.
package struct Printout: TemplateValues {
    package var title: String
    package var tenant: TenantDefinition
    package var base: String
    package var paper: PaperSize
    /// The branch the document belongs to (a pharmacy's label, an invoice); nil: the tenant's own address.
    package var branch: String?
    package var back: String
    package var content: String

    package static let templateNames: TemplateNames<Printout> = [
        "title": { $0.title },
        "tenantName": { $0.tenant.name },
        "companyName": { $0.tenant.branding.companyName },
        "base": { $0.base },
        "logoURL": { $0.tenant.logoURL },
        "favicon": { $0.tenant.logoURL ?? "/static/favicon.svg" },
        "paperSize": { $0.paper.query },
        "paperKind": { $0.paper.kind.rawValue },
        "paperName": { $0.paper.name },
        "back": { $0.back },
        "content": { $0.content },
        "branchName": { $0.branchDetails?.name },
        "address": { $0.branchDetails?.address ?? $0.tenant.contact.address },
        "contact": { [$0.tenant.contact.phone, $0.tenant.contact.email].compactMap { $0 }.joined(separator: " · ") },
        "taxNumber": { $0.tenant.taxNumber },
    ]

    /// The branch as the letterhead names it: only when the tenant has more than one, or it has its own address.
    private var branchDetails: TenantDefinition.Branch? {
        guard let branch, let found = tenant.branches.first(where: { $0.code == branch }) else { return nil }
        return tenant.branches.count > 1 || found.address != nil ? found : nil
    }
}
