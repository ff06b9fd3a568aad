/// What a tenant's files are called and where they live: `tenants.d/<id>.yaml`, its own logos in
/// `tenants.d/assets/`, and `<data>/<id>.sqlite`. The one place these names are made.
package enum TenantFiles {
    package static let yamlSuffix = ".yaml"
    package static let databaseSuffix = ".sqlite"

    /// `tenants.d/<id>.yaml` (or the folder's name as messages show it, for `folder`).
    package static func yaml(_ tenant: some CustomStringConvertible, in folder: String) -> String { "\(folder)/\(tenant)\(yamlSuffix)" }

    /// `tenants.d/assets`: logos a tenant file names, looked up before the built-in ones.
    package static func assets(in tenantsFolder: String) -> String { tenantsFolder + "/assets" }

    /// `<data>/<id>.sqlite`.
    package static func database(_ tenant: TenantID, in dataFolder: String) -> String { "\(dataFolder)/\(tenant)\(databaseSuffix)" }

    /// The file name without `.yaml`, for a tenant file's name; nil for any other name.
    package static func fileID(_ name: some StringProtocol) -> String? {
        name.hasSuffix(yamlSuffix) ? String(name.dropLast(yamlSuffix.count)) : nil
    }
}
