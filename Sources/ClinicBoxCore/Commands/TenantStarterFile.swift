/// `clinicbox tenant new`: a commented starter YAML an admin can edit in place.
public enum TenantStarterFile {
    public static func text(id: TenantID, domain: TenantDomain, features catalog: FeatureCatalog) -> String {
        let available = catalog.modules.filter { $0.domains.contains(domain) && $0.partOf == nil }
        let suggested = available.filter { $0.dependencies.allSatisfy { dependency in available.contains { $0.id == dependency } } }
        let featureLines = suggested.map { "  - \($0.id)    # \($0.summary)" }.joined(separator: "\n")
        let name = id.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return """
            # Tenant \(id). ClinicBox picks up changes to this file within 2 seconds (or at once on SIGHUP).
            # Run `clinicbox check` to see every problem with file:line:column.
            id: \(id)                 # must equal the file name
            name: \(name)
            domain: \(domain.rawValue)             # clinic, dental, pharmacy or general
            active: true               # false suspends the tenant; its data is kept

            # Host names that select this tenant (besides \(id).<base-domain>).
            hosts: []

            branding:
              company_name: \(name)
              primary_color: "#1F5F8B"  # quote colours: # starts a comment in YAML
              accent_color: "#E07A1F"
              # logo: \(id).svg         # a file in tenants.d/assets/ or Assets/logos/

            # Feature modules available to \(domain.rawValue) tenants; delete the ones you do not use.
            features:
            \(featureLines)

            contact:
              phone: "+000 000 0000"
              email: reception@example.com
              address: Street, Town

            # tax_number: "0123456"      # kept as text exactly as written
            timezone: UTC              # an IANA name such as Africa/Nairobi or Europe/Berlin
            currency: USD              # ISO 4217, e.g. KES, EUR, USD

            limits:
              max_users: 25
              max_branches: 10
              requests_per_minute: 600

            branches:
              - code: main
                name: Main branch
                address: Street, Town

            """
    }
}
