/// Why a tenant's database cannot be used; the message is written for the admin who must fix it.
public struct TenantStorageError: Error, Sendable, CustomStringConvertible {
    public var tenant: TenantID
    public var message: String

    public init(tenant: TenantID, message: String) {
        self.tenant = tenant
        self.message = message
    }

    public var description: String { message }
}
