import Foundation

extension TenantDefinition {
    /// How sign-in is guarded here (`security:`): the roles that must use two-factor sign-in, and how long a page
    /// session lasts idle and in all.
    public struct Security: Sendable, Equatable {
        /// Roles whose users are taken to set up two-factor sign-in straight after their password, and can do
        /// nothing else until they have.
        public var requireTwoFactor: Set<Role> = []
        public var sessionIdleMinutes = 30
        public var sessionMaxHours = 12
        /// Roles whose users may open a chart in an emergency (`EmergencyAccess`); admins see every chart anyway.
        public var emergencyAccess: Set<Role> = [.manager, .clinician, .staff]

        public static let standard = Security()

        /// `user` signed in with a password alone where their role needs a second factor: they may only set it up.
        /// An API key is no sign-in and keeps working.
        public func mustSetUpTwoFactor(_ user: AuthenticatedUser) -> Bool {
            requireTwoFactor.contains(user.role) && !user.hasTwoFactor && !user.isAPIKey
        }

        public var idleLimit: TimeInterval { TimeInterval(sessionIdleMinutes * 60) }
        public var absoluteLimit: TimeInterval { TimeInterval(sessionMaxHours * 3600) }

        /// How the tenant file's change list says it.
        public var summary: String {
            let roles = Role.allCases.filter { requireTwoFactor.contains($0) }.map(\.rawValue)
            return (roles.isEmpty ? "two-factor sign-in optional" : "two-factor sign-in for \(roles.joined(separator: ", "))")
                + ", sessions end after \(sessionIdleMinutes) idle minutes or \(sessionMaxHours) hours"
                + ", emergency access for "
                + (emergencyAccess.isEmpty ? "nobody" : Role.allCases.filter { emergencyAccess.contains($0) }.map(\.rawValue).joined(separator: ", "))
        }
    }
}
