import Foundation

/// Turns the text of one `tenants.d/<id>.yaml` file into a `TenantDefinition`, or into every problem it has.
package struct TenantFileParser {
    /// Where a `branding.logo` file name is looked up: this folder first (the tenant folder's `assets/`), then
    /// `logos/` of the assets.
    package var logoFolder: String
    package var assets: AssetStore
    package var features: FeatureCatalog

    package static let maximumFileSize = 1 << 20

    /// Parses `text`; `fileID` is the file name without `.yaml`, `displayPath` what error messages show.
    package func parse(_ text: String, fileID: String, displayPath: String) -> TenantFolderScan.FileResult {
        func failure(_ problems: [(location: SourceLocation, message: String)]) -> TenantFolderScan.FileResult {
            .invalid(problems.map { TenantFileProblem(file: displayPath, location: $0.location, message: $0.message) })
        }
        let root: YAMLNode
        do {
            guard let node = try YAMLComposer.compose(text) else {
                return failure([(.init(line: 1, column: 1), "the file is empty; a tenant needs at least id, name, domain, timezone and currency")])
            }
            root = node
        } catch {
            return failure([(error.location, error.message)])
        }
        var reader = YAMLFieldReader()
        let definition = read(root, fileID: fileID, reader: &reader)
        if let definition, reader.problems.isEmpty { return .valid(definition) }
        return failure(reader.problems.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
    }

    private func read(_ root: YAMLNode, fileID: String, reader: inout YAMLFieldReader) -> TenantDefinition? {
        guard let fields = reader.fields(of: root, name: "the file", allowed: TenantFileKeys.topLevel) else { return nil }
        let start = root.location
        func required(_ key: String) -> YAMLNode? {
            if let node = fields[key]?.value { return node }
            reader.report(start, "missing required key '\(key)'")
            return nil
        }

        // Optional parts fall back to defaults when absent or wrong; a wrong value has been reported, and any
        // report makes the whole file invalid (see `parse`), so the fallback is never served.
        let id = required("id").flatMap { readID($0, fileID: fileID, reader: &reader) }
        let name = required("name").flatMap { reader.text($0, field: "name") }
        let domain = required("domain").flatMap { readDomain($0, reader: &reader) }
        let timezone = required("timezone").flatMap { readTimeZone($0, reader: &reader) }
        let currency = required("currency").flatMap { readCurrency($0, reader: &reader) }
        let country = fields["country"].flatMap { readCountry($0.value, reader: &reader) }
        let active = fields["active"].flatMap { reader.boolean($0.value, field: "active") } ?? true
        var sourceMap = TenantDefinition.SourceMap()
        let hosts = fields["hosts"].map { readHosts($0.value, sourceMap: &sourceMap, reader: &reader) } ?? []
        let branding = readBranding(fields["branding"]?.value, tenantName: name ?? "", reader: &reader)
        let features = fields["features"].map { readFeatures($0.value, domain: domain, reader: &reader) } ?? []
        let contact = fields["contact"].map { readContact($0.value, reader: &reader) } ?? TenantDefinition.Contact()
        let taxNumber = fields["tax_number"].flatMap { reader.text($0.value, field: "tax_number", maxLength: 40) }
        let limits = fields["limits"].map { readLimits($0.value, reader: &reader) } ?? .defaults
        let branches = fields["branches"].map { readBranches($0.value, maxBranches: limits.maxBranches, reader: &reader) } ?? []

        let tax = fields["tax"].map { readTax($0.value, reader: &reader) } ?? .none
        let backup = fields["backup"].map { readBackup($0.value, reader: &reader) } ?? .init()
        let grants = fields["grants"].map { readGrants($0.value, reader: &reader) } ?? [:]
        let billing = fields["billing"].map { readBilling($0.value, currency: currency, reader: &reader) } ?? .init()
        let payers = fields["payers"].map { readPayers($0.value, reader: &reader) } ?? []
        let printing = fields["printing"].map { readPrinting($0.value, reader: &reader) } ?? .standard
        let security = fields["security"].map { readSecurity($0.value, reader: &reader) } ?? .standard
        let procedures = fields["procedures"].map { readProcedures($0, currency: currency, features: features, reader: &reader) } ?? []

        guard let id, let name, let domain, let timezone, let currency else { return nil }
        return TenantDefinition(
            id: id,
            name: name,
            domain: domain,
            active: active,
            hosts: hosts,
            branding: branding,
            features: features,
            contact: contact,
            taxNumber: taxNumber,
            timezone: timezone,
            currency: currency,
            country: country,
            limits: limits,
            branches: branches,
            tax: tax,
            backup: backup,
            grants: grants,
            billing: billing,
            payers: payers,
            printing: printing,
            security: security,
            procedures: procedures,
            sourceMap: sourceMap
        )
    }

    // MARK: Fields

    private func readID(_ node: YAMLNode, fileID: String, reader: inout YAMLFieldReader) -> TenantID? {
        guard let text = reader.text(node, field: "id") else { return nil }
        guard let id = TenantID(text) else {
            reader.report(node.location, "id \(text.echoed) is not valid; use \(TenantID.rule)")
            return nil
        }
        guard text == fileID else {
            reader.report(node.location, "id \(text.echoed) must equal the file name; rename the file to \(text).yaml or set id: \(fileID)")
            return nil
        }
        return id
    }

    private func readDomain(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDomain? {
        guard let text = reader.text(node, field: "domain") else { return nil }
        guard let domain = TenantDomain(rawValue: text) else {
            let names = TenantDomain.allCases.map(\.rawValue)
            reader.report(
                node.location,
                "domain \(text.echoed) is not known\(DidYouMean.hint(for: text, among: names)); use one of \(names.joined(separator: ", "))"
            )
            return nil
        }
        return domain
    }

    private func readHosts(_ node: YAMLNode, sourceMap: inout TenantDefinition.SourceMap, reader: inout YAMLFieldReader) -> [String] {
        var hosts: [String] = []
        for item in reader.list(node, field: "hosts") ?? [] {
            guard let text = reader.text(item, field: "hosts", maxLength: 253) else { continue }
            guard let host = HostName.normalized(text) else {
                reader.report(
                    item.location,
                    "hosts: \(text.echoed) is not a host name; write a name like clinic.example.com (no scheme, port, path or IP address)"
                )
                continue
            }
            guard !hosts.contains(host) else {
                reader.report(item.location, "hosts: \(text.echoed) is listed twice")
                continue
            }
            hosts.append(host)
            sourceMap.hosts[host] = item.location
        }
        return hosts
    }

    private func readBranding(_ node: YAMLNode?, tenantName: String, reader: inout YAMLFieldReader) -> TenantDefinition.Branding {
        var branding = TenantDefinition.Branding(companyName: tenantName, primaryColor: "#1F5F8B", accentColor: "#E07A1F", logo: nil, logoPath: nil)
        guard let node else { return branding }
        guard let fields = reader.fields(of: node, name: "branding", allowed: TenantFileKeys.nested["branding"]!) else { return branding }
        if let field = fields["company_name"], let text = reader.text(field.value, field: "branding.company_name") { branding.companyName = text }
        if let field = fields["primary_color"], let color = readColor(field.value, field: "branding.primary_color", reader: &reader) {
            branding.primaryColor = color
        }
        if let field = fields["accent_color"], let color = readColor(field.value, field: "branding.accent_color", reader: &reader) {
            branding.accentColor = color
        }
        if let field = fields["logo"], let name = reader.text(field.value, field: "branding.logo", maxLength: 100) {
            branding.logo = name
            branding.logoPath = findLogo(name, at: field.value.location, reader: &reader)
        }
        return branding
    }

    private func readColor(_ node: YAMLNode, field: String, reader: inout YAMLFieldReader) -> String? {
        if node.isNull {
            reader.report(node.location, "\(field) is empty; write the colour in quotes, e.g. \"#1F5F8B\" (unquoted, # starts a YAML comment)")
            return nil
        }
        guard let text = reader.text(node, field: field) else { return nil }
        let hex = text.utf8.dropFirst()
        guard text.hasPrefix("#"), hex.count == 6, hex.allSatisfy({ $0.isHexDigit }) else {
            reader.report(
                node.location,
                "\(field): \(text.echoed) is not a colour; write #RRGGBB with six hex digits, e.g. #1F5F8B (quote it: \"#1F5F8B\")"
            )
            return nil
        }
        return text.uppercased()
    }

    private func findLogo(_ name: String, at location: SourceLocation, reader: inout YAMLFieldReader) -> String? {
        let allowedExtensions = ["svg", "png", "jpg", "jpeg", "webp"]
        let fileExtension = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"), allowedExtensions.contains(fileExtension) else {
            reader.report(
                location,
                "branding.logo: \(name.echoed) must be a plain file name ending in .\(allowedExtensions.joined(separator: ", ."))"
            )
            return nil
        }
        let path = logoFolder + "/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        if let found = assets.locate("logos/" + name) { return found }
        reader.report(
            location,
            "branding.logo: no file \(name.echoed) in \(logoFolder) or logos/ of \(assets.description); put the file there or fix the name"
        )
        return nil
    }

    private func readFeatures(_ node: YAMLNode, domain: TenantDomain?, reader: inout YAMLFieldReader) -> [String] {
        var listed: [(id: String, location: SourceLocation)] = []
        for item in reader.list(node, field: "features") ?? [] {
            guard let id = reader.text(item, field: "features") else { continue }
            guard let module = features.module(id) else {
                reader.report(
                    item.location,
                    "features: unknown feature \(id.echoed)\(DidYouMean.hint(for: id, among: features.ids)); known features: \(features.ids.joined(separator: ", "))"
                )
                continue
            }
            if let whole = module.partOf {
                reader.report(item.location, "features: \(id.echoed) comes with '\(whole)' and is not listed itself; list '\(whole)'")
                continue
            }
            if let domain, !module.domains.contains(domain) {
                reader.report(
                    item.location,
                    "features: \(id.echoed) is not available for \(domain.rawValue) tenants; they may enable \(features.ids(allowedFor: domain).joined(separator: ", "))"
                )
            }
            if listed.contains(where: { $0.id == id }) { reader.report(item.location, "features: \(id.echoed) is listed twice") }
            listed.append((id, item.location))
        }
        let ids = listed.map(\.id)
        for (id, location) in listed {
            for dependency in features.module(id)?.dependencies ?? [] where !ids.contains(dependency) {
                reader.report(location, "features: \(id.echoed) needs '\(dependency)'; add '\(dependency)' to features")
            }
        }
        return ids
    }

    private func readContact(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Contact {
        var contact = TenantDefinition.Contact()
        guard let fields = reader.fields(of: node, name: "contact", allowed: TenantFileKeys.nested["contact"]!) else { return contact }
        if let phone = fields["phone"]?.value, let text = reader.text(phone, field: "contact.phone", maxLength: 40) {
            if !ContactFormat.isPhone(text) {
                reader.report(
                    phone.location,
                    "contact.phone: \(text.echoed) is not a phone number; use digits, spaces, + ( ) - and . (at least 5 digits)"
                )
            }
            contact.phone = text
        }
        if let email = fields["email"]?.value, let text = reader.text(email, field: "contact.email", maxLength: 254) {
            if !ContactFormat.isEmail(text) {
                reader.report(email.location, "contact.email: \(text.echoed) is not an email address; write it like reception@example.com")
            }
            contact.email = text
        }
        if let address = fields["address"]?.value { contact.address = reader.text(address, field: "contact.address", maxLength: 500) }
        return contact
    }

    private func readTimeZone(_ node: YAMLNode, reader: inout YAMLFieldReader) -> String? {
        guard let text = reader.text(node, field: "timezone") else { return nil }
        guard TimeZoneNames.known.contains(text) else {
            reader.report(
                node.location,
                "timezone \(text.echoed) is not an IANA time zone name\(DidYouMean.hint(for: text, among: TimeZoneNames.known)); write a name like Africa/Nairobi or Europe/Berlin"
            )
            return nil
        }
        return text
    }

    private func readCurrency(_ node: YAMLNode, reader: inout YAMLFieldReader) -> String? {
        guard let text = reader.text(node, field: "currency") else { return nil }
        guard ISOCurrency.codes.contains(text) else {
            let hint = ISOCurrency.codes.contains(text.uppercased()) ? " (did you mean '\(text.uppercased())'?)" : ""
            reader.report(node.location, "currency \(text.echoed) is not an ISO 4217 code\(hint); write three capital letters like KES, EUR or USD")
            return nil
        }
        return text
    }

    private func readCountry(_ node: YAMLNode, reader: inout YAMLFieldReader) -> String? {
        guard let text = reader.text(node, field: "country") else { return nil }
        guard CallingCodes.byCountry[text] != nil else {
            let hint = CallingCodes.byCountry[text.uppercased()] != nil ? " (did you mean '\(text.uppercased())'?)" : ""
            reader.report(node.location, "country \(text.echoed) is not an ISO 3166 country code\(hint); write two capital letters like KE, GB or DE")
            return nil
        }
        return text
    }

    private func readLimits(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Limits {
        var limits = TenantDefinition.Limits.defaults
        guard let fields = reader.fields(of: node, name: "limits", allowed: TenantFileKeys.nested["limits"]!) else { return limits }
        if let field = fields["max_users"], let value = reader.integer(field.value, field: "limits.max_users", range: 1...100_000) {
            limits.maxUsers = value
        }
        if let field = fields["max_branches"], let value = reader.integer(field.value, field: "limits.max_branches", range: 1...1_000) {
            limits.maxBranches = value
        }
        if let field = fields["requests_per_minute"],
            let value = reader.integer(field.value, field: "limits.requests_per_minute", range: 1...1_000_000)
        {
            limits.requestsPerMinute = value
        }
        // Documents live inside the tenant's SQLite file, so the cap keeps one upload from swelling every backup.
        if let field = fields["max_document_mb"], let value = reader.integer(field.value, field: "limits.max_document_mb", range: 1...100) {
            limits.maxDocumentMB = value
        }
        return limits
    }

    private func readBackup(_ node: YAMLNode, reader: inout YAMLFieldReader) -> BackupSchedule.Override {
        var backup = BackupSchedule.Override()
        guard let fields = reader.fields(of: node, name: "backup", allowed: TenantFileKeys.nested["backup"]!) else { return backup }
        if let field = fields["every"] {
            if case .scalar(let text, _, let location) = field.value {
                if let every = BackupSchedule.interval(text) {
                    backup.every = every
                } else {
                    reader.report(location, "backup.every: \(text.echoed) is not an interval; write \(BackupSchedule.intervalRule)")
                }
            } else {
                reader.report(field.value.location, "backup.every must be \(BackupSchedule.intervalRule), not \(field.value.kindDescription)")
            }
        }
        if let field = fields["keep"], let value = reader.integer(field.value, field: "backup.keep", range: 1...1_000) {
            backup.keep = value
        }
        return backup
    }

    /// `grants: {clinician: [sales.read, sales.write]}`: more actions for a role than the standard table gives it.
    private func readGrants(_ node: YAMLNode, reader: inout YAMLFieldReader) -> [Role: Set<String>] {
        var grants: [Role: Set<String>] = [:]
        guard let fields = reader.fields(of: node, name: "grants", allowed: TenantFileKeys.nested["grants"]!) else { return grants }
        let known = features.permissions.actions.filter { !Permissions.isAccountAction($0) }
        for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
            guard let role = Role(rawValue: name) else { continue }
            for item in reader.list(field.value, field: "grants.\(name)") ?? [] {
                guard let action = reader.text(item, field: "grants.\(name)") else { continue }
                if Permissions.isAccountAction(action) {
                    reader.report(item.location, "grants.\(name): \(action.echoed) stays with admins; a role can be granted module actions only")
                } else if !known.contains(action) {
                    reader.report(
                        item.location,
                        "grants.\(name): unknown action \(action.echoed)\(DidYouMean.hint(for: action, among: known)); actions are \(known.joined(separator: ", "))"
                    )
                } else {
                    grants[role, default: []].insert(action)
                }
            }
        }
        return grants
    }

    /// "16" → 1600, "7.5" → 750; nil unless plain digits with at most two decimals, 0–100.
    package static func basisPoints(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let whole = Int(parts[0])
        else { return nil }
        var fraction = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count) else { return nil }
            fraction = Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))!
        }
        let value = whole * 100 + fraction
        return value <= 10_000 ? value : nil
    }

    /// `procedures: [{code: FIL1, name: "Composite filling, one surface", fee: 4500}]`: what a treatment plan offers,
    /// each fee in the tenant's currency.
    private func readProcedures(
        _ field: (key: YAMLKey, value: YAMLNode),
        currency: String?,
        features: [String],
        reader: inout YAMLFieldReader
    ) -> [TenantDefinition.Procedure] {
        if !features.contains("treatments") {
            reader.report(field.key.location, "procedures: are for dental treatment plans; add treatments to features, or remove procedures")
        }
        var procedures: [TenantDefinition.Procedure] = []
        for item in reader.list(field.value, field: "procedures") ?? [] {
            guard let fields = reader.fields(of: item, name: "procedure", allowed: TenantFileKeys.nested["procedures[]"]!) else { continue }
            guard let codeNode = fields["code"]?.value, let nameNode = fields["name"]?.value, let feeNode = fields["fee"]?.value else {
                reader.report(item.location, "procedure: needs 'code', 'name' and 'fee'")
                continue
            }
            guard let code = reader.text(codeNode, field: "procedure code", maxLength: 20),
                let name = reader.text(nameNode, field: "procedure name", maxLength: 200)
            else {
                continue
            }
            if !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                reader.report(codeNode.location, "procedure code \(code.echoed) is not valid; use letters, digits, '-', '_' and '.'")
            } else if procedures.contains(where: { $0.code.lowercased() == code.lowercased() }) {
                reader.report(codeNode.location, "procedure code \(code.echoed) is used twice; each procedure needs its own code")
            }
            guard case .scalar(let text, _, let location) = feeNode else {
                reader.report(feeNode.location, "procedure fee must be an amount like 4500 or 45.50, not \(feeNode.kindDescription)")
                continue
            }
            guard let currency else { continue }  // the currency's own problem is reported
            guard let fee = Money.parse(text, currency: currency) else {
                reader.report(location, "procedure fee \(text.echoed) is not an amount in \(currency); write it like 4500 or 45.50")
                continue
            }
            procedures.append(.init(code: code, name: name, fee: fee))
        }
        return procedures
    }

    private func readBranches(_ node: YAMLNode, maxBranches: Int, reader: inout YAMLFieldReader) -> [TenantDefinition.Branch] {
        var branches: [TenantDefinition.Branch] = []
        for item in reader.list(node, field: "branches") ?? [] {
            guard let fields = reader.fields(of: item, name: "branch", allowed: TenantFileKeys.nested["branches[]"]!) else { continue }
            guard let codeNode = fields["code"]?.value, let nameNode = fields["name"]?.value else {
                reader.report(item.location, "branch: needs both 'code' and 'name'")
                continue
            }
            let address = fields["address"].flatMap { reader.text($0.value, field: "branch address", maxLength: 500) }
            guard let code = reader.text(codeNode, field: "branch code", maxLength: 32), let name = reader.text(nameNode, field: "branch name") else {
                continue
            }
            if !BranchCode.isValid(code) {
                reader.report(codeNode.location, "branch code \(code.echoed) is not valid; use 1–32 characters of a-z, 0-9 and '-'")
            } else if branches.contains(where: { $0.code == code }) {
                reader.report(codeNode.location, "branch code \(code.echoed) is used twice; each branch needs its own code")
            }
            branches.append(.init(code: code, name: name, address: address))
        }
        if branches.count > maxBranches {
            reader.report(node.location, "branches: \(branches.count) branches are listed but limits.max_branches is \(maxBranches)")
        }
        return branches
    }
}

extension UInt8 {
    package var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
