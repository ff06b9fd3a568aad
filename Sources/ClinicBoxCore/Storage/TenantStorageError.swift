/// Why a tenant's database cannot be used; the message is written for the admin who must fix it.
public struct TenantStorageError: Error, Sendable, CustomStringConvertible {
    public var tenant: TenantID
    public var message: String
    /// The tenant has never had a database: nothing is wrong, it simply holds no data (and no users) yet.
    public var isAbsent = false

    public init(tenant: TenantID, message: String, isAbsent: Bool = false) {
        self.tenant = tenant
        self.message = message
        self.isAbsent = isAbsent
    }

    public var description: String { message }
}
