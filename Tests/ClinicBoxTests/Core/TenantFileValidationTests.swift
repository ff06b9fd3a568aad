import ClinicBox
import ClinicBoxCore
import Foundation
import Testing

/// Every validation rule of tenant files, asserted with the exact `file:line:column` an admin would see.
@Suite struct TenantFileValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        /// The start of the expected problem line, `tenants.d/t1.yaml:L:C: message…`.
        var expected: String
        var testDescription: String { name }
    }

    static let base = """
        id: t1
        name: Test
        domain: clinic
        timezone: Europe/Berlin
        currency: EUR

        """

    static let dental = base.replacingOccurrences(of: "domain: clinic", with: "domain: dental") + "features: [patients, treatments]\n"

    static let cases: [Case] = [
        Case(
            name: "procedures without treatment plans",
            yaml: base + "procedures: []\n",
            expected: "tenants.d/t1.yaml:6:1: procedures: are for dental treatment plans; add treatments to features, or remove procedures"
        ),
        Case(
            name: "procedure fee",
            yaml: dental + "procedures:\n  - {code: FIL2, name: Filling, fee: 65.505}\n",
            expected: "tenants.d/t1.yaml:8:38: procedure fee '65.505' is not an amount in EUR; write it like 4500 or 45.50"
        ),
        Case(
            name: "procedure code twice",
            yaml: dental + "procedures:\n  - {code: FIL2, name: Filling, fee: 65}\n  - {code: fil2, name: Again, fee: 70}\n",
            expected: "tenants.d/t1.yaml:9:12: procedure code 'fil2' is used twice; each procedure needs its own code"
        ),
        Case(
            name: "procedure without fee",
            yaml: dental + "procedures:\n  - {code: FIL2, name: Filling}\n",
            expected: "tenants.d/t1.yaml:8:5: procedure: needs 'code', 'name' and 'fee'"
        ),
        Case(
            name: "procedure key",
            yaml: dental + "procedures:\n  - {code: FIL2, name: Filling, fee: 65, price: 70}\n",
            expected: "tenants.d/t1.yaml:8:42: procedure: unknown key 'price'"
        ),
        Case(
            name: "grant of an unknown action",
            yaml: base + "grants:\n  clinician: [sales.read, sales.wirte]\n",
            expected: "tenants.d/t1.yaml:7:27: grants.clinician: unknown action 'sales.wirte' (did you mean 'sales.write'?)"
        ),
        Case(
            name: "grant of an account action",
            yaml: base + "grants:\n  manager: [users.manage]\n",
            expected: "tenants.d/t1.yaml:7:13: grants.manager: 'users.manage' stays with admins; a role can be granted module actions only"
        ),
        Case(
            name: "grant to an unknown role",
            yaml: base + "grants:\n  pharmacist: [sales.write]\n",
            expected: "tenants.d/t1.yaml:7:3: grants: unknown key 'pharmacist'"
        ),
        Case(
            name: "misspelt key",
            yaml: base + "feautres: [patients]\n",
            expected: "tenants.d/t1.yaml:6:1: unknown key 'feautres' (did you mean 'features'?)"
        ),
        Case(
            name: "misspelt nested key",
            yaml: base + "branding:\n  primary_colour: \"#112233\"\n",
            expected: "tenants.d/t1.yaml:7:3: branding: unknown key 'primary_colour' (did you mean 'primary_color'?)"
        ),
        Case(
            name: "duplicate key",
            yaml: base + "name: Again\n",
            expected: "tenants.d/t1.yaml:6:1: duplicate key 'name': it is already given at line 2"
        ),
        Case(
            name: "bad colour",
            yaml: base + "branding:\n  primary_color: \"#12345\"\n",
            expected: "tenants.d/t1.yaml:7:18: branding.primary_color: '#12345' is not a colour; write #RRGGBB"
        ),
        Case(
            name: "unquoted colour is a comment",
            yaml: base + "branding:\n  accent_color: #123456\n",
            expected:
                "tenants.d/t1.yaml:7:16: branding.accent_color is empty; write the colour in quotes, e.g. \"#1F5F8B\" (unquoted, # starts a YAML comment)"
        ),
        Case(
            name: "document limit too large",
            yaml: base + "limits:\n  max_document_mb: 500\n",
            expected: "tenants.d/t1.yaml:7:20: limits.max_document_mb: 500 is out of range; write a whole number from 1 to 100"
        ),
        Case(
            name: "octal-looking number",
            yaml: base + "limits:\n  max_users: 0755\n",
            expected: "tenants.d/t1.yaml:7:14: limits.max_users: '0755' has a leading zero (YAML 1.1 would read it as octal)"
        ),
        Case(
            name: "sexagesimal-looking number",
            yaml: base + "limits:\n  requests_per_minute: 1:30\n",
            expected: "tenants.d/t1.yaml:7:24: limits.requests_per_minute: '1:30' is not a whole number (YAML 1.1 would read it as minutes:seconds)"
        ),
        Case(
            name: "quoted number",
            yaml: base + "limits:\n  max_branches: \"3\"\n",
            expected: "tenants.d/t1.yaml:7:17: limits.max_branches must be a number, not quoted text"
        ),
        Case(
            name: "number out of range",
            yaml: base + "limits:\n  max_users: 0\n",
            expected: "tenants.d/t1.yaml:7:14: limits.max_users: 0 is out of range; write a whole number from 1 to 100000"
        ),
        Case(
            name: "country in small letters",
            yaml: base + "country: de\n",
            expected:
                "tenants.d/t1.yaml:6:10: country 'de' is not an ISO 3166 country code (did you mean 'DE'?); write two capital letters like KE, GB or DE"
        ),
        Case(name: "yes/no boolean", yaml: base + "active: on\n", expected: "tenants.d/t1.yaml:6:9: active must be true or false, not 'on'"),
        Case(
            name: "list where text belongs",
            yaml: base + "tax_number: [1, 2]\n",
            expected: "tenants.d/t1.yaml:6:13: tax_number must be text, not a list"
        ),
        Case(
            name: "text where a list belongs",
            yaml: base + "features: patients\n",
            expected: "tenants.d/t1.yaml:6:11: features must be a list (one '- item' per line), not the text 'patients'"
        ),
        Case(
            name: "anchor",
            yaml: base + "branding: &b\n  company_name: X\n",
            expected: "tenants.d/t1.yaml:6:11: anchors (&b) are not allowed in tenant files"
        ),
        Case(
            name: "alias bomb",
            yaml: base
                + "x: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
            expected: "tenants.d/t1.yaml:6:4: anchors (&a) are not allowed in tenant files"
        ),
        Case(
            name: "alias without anchor",
            yaml: base + "contact: *nothing\n",
            expected: "tenants.d/t1.yaml:6:10: aliases (*name) are not allowed in tenant files"
        ),
        Case(
            name: "merge key",
            yaml: base + "contact:\n  <<: {phone: \"12345\"}\n",
            expected: "tenants.d/t1.yaml:7:3: merge keys (<<) are not allowed in tenant files"
        ),
        Case(
            name: "tag",
            yaml: base + "tax_number: !!str 0123\n",
            expected: "tenants.d/t1.yaml:6:13: tags (tag:yaml.org,2002:str) are not allowed in tenant files"
        ),
        Case(
            name: "unknown feature",
            yaml: base + "features: [patients, inventroy]\n",
            expected: "tenants.d/t1.yaml:6:22: features: unknown feature 'inventroy' (did you mean 'inventory'?)"
        ),
        Case(
            name: "feature not for this domain",
            yaml: base + "features: [treatments]\n",
            expected: "tenants.d/t1.yaml:6:12: features: 'treatments' is not available for clinic tenants"
        ),
        Case(
            name: "missing dependency",
            yaml: base.replacingOccurrences(of: "clinic", with: "pharmacy") + "features: [sales]\n",
            expected: "tenants.d/t1.yaml:6:12: features: 'sales' needs 'inventory'; add 'inventory' to features"
        ),
        Case(
            name: "a part of a module listed itself",
            yaml: base + "features: [patients, clinical]\n",
            expected: "tenants.d/t1.yaml:6:22: features: 'clinical' comes with 'patients' and is not listed itself; list 'patients'"
        ),
        Case(
            name: "id differs from file name",
            yaml: base.replacingOccurrences(of: "id: t1", with: "id: t2"),
            expected: "tenants.d/t1.yaml:1:5: id 't2' must equal the file name"
        ),
        Case(
            name: "unknown domain",
            yaml: base.replacingOccurrences(of: "domain: clinic", with: "domain: dentist"),
            expected: "tenants.d/t1.yaml:3:9: domain 'dentist' is not known (did you mean 'dental'?)"
        ),
        Case(
            name: "unknown time zone",
            yaml: base.replacingOccurrences(of: "Europe/Berlin", with: "Europe/Berln"),
            expected: "tenants.d/t1.yaml:4:11: timezone 'Europe/Berln' is not an IANA time zone name (did you mean 'Europe/Berlin'?)"
        ),
        Case(
            name: "lower-case currency",
            yaml: base.replacingOccurrences(of: "EUR", with: "eur"),
            expected: "tenants.d/t1.yaml:5:11: currency 'eur' is not an ISO 4217 code (did you mean 'EUR'?)"
        ),
        Case(
            name: "missing required key",
            yaml: base.replacingOccurrences(of: "currency: EUR\n", with: ""),
            expected: "tenants.d/t1.yaml:1:1: missing required key 'currency'"
        ),
        Case(
            name: "missing logo file",
            yaml: base + "branding:\n  logo: nope.svg\n",
            expected: "tenants.d/t1.yaml:7:9: branding.logo: no file 'nope.svg' in"
        ),
        Case(
            name: "logo path escaping the folder",
            yaml: base + "branding:\n  logo: ../secret.svg\n",
            expected: "tenants.d/t1.yaml:7:9: branding.logo: '../secret.svg' must be a plain file name"
        ),
        Case(name: "IP address as host", yaml: base + "hosts: [10.0.0.1]\n", expected: "tenants.d/t1.yaml:6:9: hosts: '10.0.0.1' is not a host name"),
        Case(
            name: "host with a port",
            yaml: base + "hosts: [\"clinic.example.com:8080\"]\n",
            expected: "tenants.d/t1.yaml:6:9: hosts: 'clinic.example.com:8080' is not a host name"
        ),
        Case(
            name: "bad email",
            yaml: base + "contact:\n  email: reception\n",
            expected: "tenants.d/t1.yaml:7:10: contact.email: 'reception' is not an email address"
        ),
        Case(
            name: "duplicate branch code",
            yaml: base + "branches:\n  - {code: main, name: A}\n  - {code: main, name: B}\n",
            expected: "tenants.d/t1.yaml:8:12: branch code 'main' is used twice"
        ),
        Case(
            name: "more branches than allowed",
            yaml: base + "limits: {max_branches: 1}\nbranches:\n  - {code: a, name: A}\n  - {code: b, name: B}\n",
            expected: "tenants.d/t1.yaml:8:3: branches: 2 branches are listed but limits.max_branches is 1"
        ),
        Case(
            name: "tax rate and classes together",
            yaml: base + "tax: {rate: 16, classes: {standard: 16}}\n",
            expected: "tenants.d/t1.yaml:6:7: tax: write either rate (one rate for everything) or classes (a rate per class), not both"
        ),
        Case(
            name: "tax class rate",
            yaml: base + "tax:\n  classes: {standard: 16, exempt: none}\n  default_class: exempt\n",
            expected: "tenants.d/t1.yaml:7:35: tax.classes.exempt must be a percentage from 0 to 100 with at most two decimals, e.g. 16 or 7.5"
        ),
        Case(
            name: "tax class name",
            yaml: base + "tax:\n  classes: {Standard: 16}\n",
            expected: "tenants.d/t1.yaml:7:13: tax class 'Standard' is not a valid name; use lower-case letters, digits and '_'"
        ),
        Case(
            name: "default tax class unknown",
            yaml: base + "tax:\n  classes: {standard: 16, exempt: 0}\n  default_class: exmpt\n",
            expected:
                "tenants.d/t1.yaml:8:18: tax.default_class 'exmpt' is not one of tax.classes (did you mean 'exempt'?); classes are exempt, standard"
        ),
        Case(
            name: "default tax class missing",
            yaml: base + "tax:\n  classes: {standard: 16, exempt: 0}\n",
            expected: "tenants.d/t1.yaml:7:3: tax.default_class is needed with more than one class"
        ),
        Case(
            name: "default tax class without classes",
            yaml: base + "tax: {rate: 16, default_class: standard}\n",
            expected: "tenants.d/t1.yaml:6:17: tax.default_class names one of tax.classes; without classes there is one rate"
        ),
        Case(
            name: "billing discount limit",
            yaml: base + "billing: {discount_limit_percent: 120}\n",
            expected: "tenants.d/t1.yaml:6:35: billing.discount_limit_percent must be a percentage from 0 to 100"
        ),
        Case(
            name: "billing refund limit",
            yaml: base + "billing:\n  refund_limit: 12.345\n",
            expected: "tenants.d/t1.yaml:7:17: billing.refund_limit must be an amount in EUR, e.g. 50 or 49.50"
        ),
        Case(
            name: "payer kind",
            yaml: base + "payers:\n  - {code: JUB, name: Jubilee, kind: bank}\n",
            expected: "tenants.d/t1.yaml:7:38: payer kind must be one of insurer, scheme, employer, not the text 'bank'"
        ),
        Case(
            name: "payer code twice",
            yaml: base + "payers:\n  - {code: JUB, name: Jubilee, kind: insurer}\n  - {code: jub, name: Other, kind: scheme}\n",
            expected: "tenants.d/t1.yaml:8:12: payer code 'jub' is used twice; each payer needs its own code"
        ),
        Case(
            name: "payer share",
            yaml: base + "payers:\n  - {code: JUB, name: Jubilee, kind: insurer, share_percent: 120}\n",
            expected: "tenants.d/t1.yaml:7:62: payer share_percent: 120 is out of range; write a whole number from 0 to 100"
        ),
        Case(
            name: "payer without kind",
            yaml: base + "payers:\n  - {code: JUB, name: Jubilee}\n",
            expected: "tenants.d/t1.yaml:7:5: payer: needs 'code', 'name' and 'kind' (insurer, scheme, employer)"
        ),
        Case(
            name: "two-factor role",
            yaml: base + "security:\n  require_two_factor: [admin, doctor]\n",
            expected: "tenants.d/t1.yaml:7:31: security.require_two_factor: unknown role 'doctor'; roles are admin, manager, clinician, staff"
        ),
        Case(
            name: "emergency access role",
            yaml: base + "security:\n  emergency_access: [clinician, admin]\n",
            expected:
                "tenants.d/t1.yaml:7:33: security.emergency_access: not a role for this list: 'admin'; roles are manager, clinician, staff"
        ),
        Case(
            name: "session idle minutes",
            yaml: base + "security:\n  session_idle_minutes: 0\n",
            expected: "tenants.d/t1.yaml:7:25: security.session_idle_minutes: 0 is out of range; write a whole number from 1 to 720"
        ),
        Case(
            name: "idle longer than a session",
            yaml: base + "security: {session_idle_minutes: 600, session_max_hours: 8}\n",
            expected: "tenants.d/t1.yaml:6:34: security.session_idle_minutes must not be longer than security.session_max_hours"
        ),
        Case(
            name: "printing label",
            yaml: base + "printing:\n  label: 70 by 36\n",
            expected: "tenants.d/t1.yaml:7:10: printing.label must be the label's width x height from 20mm to 200mm, e.g. 70mm x 36mm"
        ),
        Case(name: "YAML syntax error", yaml: base + "name2: \"unclosed\n", expected: "tenants.d/t1.yaml:7:1: found unexpected end of stream"),
        Case(name: "empty file", yaml: "", expected: "tenants.d/t1.yaml:1:1: the file is empty"),
        Case(name: "second document", yaml: base + "---\nid: t1\n", expected: "tenants.d/t1.yaml:6:1: a tenant file holds one YAML document"),
        Case(
            name: "deep nesting",
            yaml: base + "contact: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n",
            expected: "tenants.d/t1.yaml:6:41: values are nested more than 32 levels deep"
        ),
    ]

    @Test(arguments: cases)
    func reportsProblemAtItsLocation(_ testCase: Case) throws {
        let workspace = try TestWorkspace()
        try workspace.write("t1", testCase.yaml)
        let report = workspace.check()
        #expect(report.validTenants.isEmpty)
        let lines = report.problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix(testCase.expected) }, "got: \(lines)")
    }

    @Test func textStaysTextAsWritten() throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "t1",
            Self.base + "tax_number: 0123\nbranding:\n  company_name: NO\ncontact:\n  address: 1e3\nbranches:\n  - {code: main, name: yes}\n"
        )
        var reader = TenantFolderReader(folder: workspace.tenants, assets: AssetStore(overrideFolder: workspace.assets), catalog: .standard)
        guard case .valid(let tenant) = reader.scan().files["t1"] else {
            Issue.record("t1 should be valid: \(workspace.check().problems)")
            return
        }
        #expect(tenant.taxNumber == "0123")
        #expect(tenant.branding.companyName == "NO")
        #expect(tenant.contact.address == "1e3")
        #expect(tenant.branches.first?.name == "yes")
    }

    @Test func taxClassesAndTheSingleRateBothRead() throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "t1",
            Self.base + "tax:\n  classes: {standard: 16, exempt: 0, reduced: 7.5}\n  default_class: exempt\n  prices_include_tax: false\n"
        )
        try workspace.write("t2", Self.base.replacingOccurrences(of: "t1", with: "t2") + "tax: {rate: 16}\n")
        var reader = TenantFolderReader(folder: workspace.tenants, assets: AssetStore(overrideFolder: workspace.assets), catalog: .standard)
        let files = reader.scan().files
        guard case .valid(let classes) = files["t1"], case .valid(let single) = files["t2"] else {
            Issue.record("both should be valid: \(workspace.check().problems)")
            return
        }
        #expect(classes.tax.classes == ["standard": 1600, "exempt": 0, "reduced": 750])
        #expect(classes.tax.rate(ofClass: nil) == 0 && classes.tax.rate(ofClass: "reduced") == 750 && classes.tax.rate(ofClass: "luxury") == nil)
        #expect(classes.tax.classNames == ["exempt", "reduced", "standard"] && !classes.tax.pricesIncludeTax)
        #expect(classes.tax.summary == "exempt 0%, reduced 7.5%, standard 16% (default exempt), added")
        #expect(single.tax.classes == ["standard": 1600] && single.tax.rateBasisPoints == 1600 && single.tax.pricesIncludeTax)
        #expect(single.tax.summary == "16% included")
    }

    @Test func fileOverOneMebibyteIsRefusedUnread() throws {
        let workspace = try TestWorkspace()
        try workspace.write("t1", Self.base + "# " + String(repeating: "x", count: 1 << 20) + "\n")
        #expect(
            workspace.check().problems.map(\.description).contains {
                $0.hasPrefix("tenants.d/t1.yaml:1:1: the file is") && $0.contains("at most 1 MiB")
            }
        )
    }

    @Test func ymlAndBadFileNamesAreReported() throws {
        let workspace = try TestWorkspace()
        try "id: x\n".write(toFile: workspace.tenants + "/clinic.yml", atomically: true, encoding: .utf8)
        try workspace.write("Bad_Name", Self.base)
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.contains("tenants.d/clinic.yml:1:1: tenant files end in .yaml; rename it to clinic.yaml"))
        #expect(lines.contains { $0.hasPrefix("tenants.d/Bad_Name.yaml:1:1: 'Bad_Name' is not a valid tenant id") })
    }

    @Test func hostUsedByTwoFilesStaysWithTheFirst() throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "hosts: [shared.example.com]")
        try workspace.writeTenant("beta", extra: "hosts:\n  - shared.example.com")
        let report = workspace.check()
        #expect(report.validTenants.map(\.rawValue) == ["alpha"])
        #expect(
            report.problems.map(\.description) == [
                "tenants.d/beta.yaml:8:5: hosts: 'shared.example.com' is already used by tenants.d/alpha.yaml; each host name selects one tenant"
            ]
        )
    }

    @Test func shippedExampleTenantsAreValid() throws {
        let root = ClinicBoxBinary.packageRoot
        let report = TenantCheck.run(tenantsFolder: root + "/tenants.d", assetsFolder: root + "/Assets", catalog: .standard)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.validTenants.map(\.rawValue) == ["greenleaf-pharmacy", "riverside-health", "smile-dental"])
    }

    @Test func everyProblemOfAFileIsReportedAtOnce() throws {
        let workspace = try TestWorkspace()
        try workspace.write("t1", Self.base + "active: yes\nbranding:\n  primary_color: red\nfeautres: []\n")
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.count == 3, "\(lines)")
    }
}

/// The README's tenant file reference and the parser cannot drift apart (issue #18, item 5: `tax` was missing).
@Suite struct TenantFileReferenceTests {
    @Test func theReadmeTableListsExactlyTheKeysTheParserAccepts() throws {
        let readme = try String(contentsOfFile: ClinicBoxBinary.packageRoot + "/README.md", encoding: .utf8)
        let section = try #require(
            readme.components(separatedBy: "\n## Tenant file reference\n").dropFirst().first?.components(separatedBy: "\n## ").first
        )
        var documented: [String] = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.split(separator: "|", omittingEmptySubsequences: true).first ?? ""
            documented += firstCell.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            }
        }
        #expect(documented.count == Set(documented).count, "a key is listed twice: \(documented)")
        #expect(
            Set(documented) == Set(TenantFileKeys.all),
            "only in the README: \(Set(documented).subtracting(TenantFileKeys.all)); only in the parser: \(Set(TenantFileKeys.all).subtracting(documented))"
        )
    }
}
