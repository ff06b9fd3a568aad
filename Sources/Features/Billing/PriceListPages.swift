import ClinicBoxCore
import GRDB
import Hummingbird

/// `/billing/services`: the price list — found by code or name, changed by those who set prices.
package struct PriceListPages {
    package let pages: ModulePages

    package struct Line: TemplateValues, Sendable {
        package var href: String
        package var code: String
        package var name: String
        package var kind: String
        package var price: String
        package var taxClass: String
        package var active: Bool

        package static let templateNames: TemplateNames<Line> = [
            "href": { $0.href }, "code": { $0.code }, "name": { $0.name }, "kind": { $0.kind }, "price": { $0.price },
            "taxClass": { $0.taxClass }, "active": { $0.active },
        ]
    }

    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let q = request.uri.queryParameters.get("q")?.trimmingSpaces ?? ""
        let page = try ListPage(request, sorting: PriceListAPI.sorting)
        let (base, tax, currency) = (context.basePath, context.tenant.definition.tax, context.tenant.definition.currency)
        let (lines, next) = try await page.rows(
            context.storage.database(),
            columns: "code, name, kind, price, tax_class, active",
            from: "billing_services",
            conditions: PriceListAPI.conditions(q: q, kind: nil)
        ) { row in
            let taxClass = row["tax_class"] as String?
            return Line(
                href: "\(base)/billing/services/\(row["id"] as Int64)/edit",
                code: row["code"],
                name: row["name"],
                kind: (row["kind"] as String).capitalized,
                price: Money.format(row["price"], currency: currency),
                taxClass: Self.taxClassText(taxClass, tax: tax),
                active: row["active"]
            )
        }
        var data: [String: Any] = [
            "q": q, "lines": lines, "hasLines": !lines.isEmpty, "searched": !q.isEmpty, "canChange": context.allows(.billingPrices),
            "taxSummary": tax.summary,
        ]
        data["more"] = ListPage.nextPageLink("\(base)/billing/services", cursor: next, keeping: [("q", q)])
        return pages.page(context, "services", title: "Price list", data: data)
    }

    /// "standard (16%)", "default: exempt (0%)", or a class the tenant file no longer names, said plainly.
    static func taxClassText(_ taxClass: String?, tax: TenantDefinition.Tax) -> String {
        let name = taxClass ?? tax.defaultClass
        guard let rate = tax.classes[name] else { return "\(name): no longer in the tenant file" }
        return "\(taxClass == nil ? "default: " : "")\(name) (\(TenantDefinition.Tax.percent(rate))%)"
    }

    package func newForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        form(context, values: ["kind": "service", "active": "true"], errors: [:])
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let currency = context.tenant.definition.currency
        var fields = try body.fields(of: ServiceForm.fields, currency: currency)
        var form = ServiceForm()
        form.apply(&fields, tax: context.tenant.definition.tax)
        guard fields.errors.isEmpty else { return self.form(context, values: body.values, errors: fields.errors, status: .unprocessableContent) }
        let actor = context.actor
        do {
            _ = try await context.storage.database().write { [form] db in try ServiceRecords.create(db, form, actor: actor) }
            return Pages.seeOther(
                "\(context.basePath)/billing/services?q=\(form.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            )
        } catch let problem as Problem where problem.status == .conflict {
            return self.form(context, values: body.values, errors: problem.fieldErrors, status: .conflict)
        }
    }

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "billing_service")
        let currency = context.tenant.definition.currency
        let values = try await context.storage.database().read { db in
            ServiceForm.fields.editValues(of: try ServiceRecords.changes.current(db, id: id), currency: currency)
        }
        return form(context, values: values, errors: [:], editing: id)
    }

    package func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "billing_service")
        let version = Int64(body["version"] ?? "") ?? 0
        let definition = context.tenant.definition
        let fields = try body.fields(of: ServiceForm.fields, ignoring: ["csrf_token", "version"], currency: definition.currency)
        let actor = context.actor
        do {
            try await context.storage.database().write { db in
                try ServiceRecords.update(db, id: id, version: version, fields: fields, tax: definition.tax, actor: actor)
            }
            return Pages.seeOther("\(context.basePath)/billing/services")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return form(
                context,
                values: body.values,
                errors: problem.fieldErrors,
                status: problem.status,
                editing: id,
                message: problem.status == .conflict && problem.fieldErrors["code"] == nil ? problem.detail : nil
            )
        }
    }

    private func form(
        _ context: PageRequestContext,
        values: [String: String],
        errors: [String: String],
        status: HTTPResponse.Status = .ok,
        editing: Int64? = nil,
        message: String? = nil
    ) -> Response {
        let tax = context.tenant.definition.tax
        var fields = ServiceForm.fields.formFields(values: values, errors: errors, autocomplete: "off")
        if let index = fields.firstIndex(where: { $0.name == "kind" }) {
            fields[index].kind = .select(options: ServiceForm.kinds.map { ($0, $0.capitalized) })
        }
        if let index = fields.firstIndex(where: { $0.name == "tax_class" }) {
            // The tenant file's classes, the default first; "" keeps an entry on whatever the default is.
            let options = [("", "The default (\(tax.defaultClass))")] + tax.classNames.map { ($0, Self.taxClassText($0, tax: tax)) }
            fields[index].kind = .select(options: options)
        }
        let title = editing == nil ? "New price-list entry" : "Change a price-list entry"
        let path = "\(context.basePath)/billing/services"
        var data: [String: Any] = [
            "title": title, "fields": fields, "hasErrors": !errors.isEmpty,
            "action": path + (editing.map { "/\($0)" } ?? ""), "cancel": path,
        ]
        if let version = values["version"], editing != nil { data["version"] = version }
        if let message { data["message"] = message }
        return pages.page(context, core: "forms/record", title: title, data: data, status: status)
    }
}
