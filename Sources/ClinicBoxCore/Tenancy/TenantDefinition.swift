import Foundation

/// One tenant as its YAML file defines it, validated.
public struct TenantDefinition: Sendable, Equatable {
    public var id: TenantID
    public var name: String
    public var domain: TenantDomain
    public var active: Bool
    /// Lower-cased host names that select this tenant.
    public var hosts: [String]
    public var branding: Branding
    public var features: [String]
    public var contact: Contact
    public var taxNumber: String?
    public var timezone: String
    public var currency: String
    /// ISO 3166 alpha-2 (`DE`), for writing local phone numbers in full; nil: from `contact.phone`'s calling code.
    public var country: String? = nil
    public var limits: Limits
    public var branches: [Branch]
    public var tax = Tax.none
    /// Changes to the server's backup schedule for this tenant (`backup:`).
    public var backup = BackupSchedule.Override()
    /// Actions a role may do here beyond the standard role table (`grants: {clinician: [sales.read, sales.write]}`).
    public var grants: [Role: Set<String>] = [:]
    /// Where billing asks for a manager (`billing:`).
    public var billing = BillingRules()
    /// Insurers, schemes and employers that pay part of its bills (`payers:`).
    public var payers: [Payer] = []
    /// The paper its printouts are laid out for (`printing:`).
    public var printing = Printing.standard
    /// Two-factor sign-in and session lengths (`security:`).
    public var security = Security.standard
    /// The procedures a dental plan offers with their fees (`procedures:`), until billing brings its price list.
    public var procedures: [Procedure] = []
    /// Where things were written, for messages about conflicts between files.
    public var sourceMap = SourceMap()

    /// Where its logo is served (`GET /api/tenants/{id}/logo`), when it has one: the pages' header, printouts, the API.
    public var logoURL: String? { branding.logo == nil ? nil : "/api/tenants/\(id)/logo" }

    /// How local phone numbers are written in full: from `country`, else from the calling code of `contact.phone`.
    package var phoneNumbering: PhoneNumbering { PhoneNumbering(country: country, contactPhone: contact.phone) }

    /// Positions in the file. Moving a line does not change what a tenant is, so all source maps compare equal.
    public struct SourceMap: Sendable, Equatable {
        public var hosts: [String: SourceLocation] = [:]
        public static func == (lhs: SourceMap, rhs: SourceMap) -> Bool { true }
    }

    public struct Branding: Sendable, Equatable {
        public var companyName: String
        public var primaryColor: String
        public var accentColor: String
        /// The logo's file name as written in YAML; `logoPath` is where it was found.
        public var logo: String?
        public var logoPath: String?
    }

    public struct Contact: Sendable, Equatable {
        public var phone: String?
        public var email: String?
        public var address: String?
    }

    public struct Limits: Sendable, Equatable {
        public var maxUsers: Int
        public var maxBranches: Int
        public var requestsPerMinute: Int
        /// The largest document (scan, photo) a patient's chart takes, in megabytes.
        public var maxDocumentMB = 10

        public static let defaults = Limits(maxUsers: 25, maxBranches: 10, requestsPerMinute: 600)
    }

    /// The limits above which billing needs a manager: a discount of more than `discountLimitBasisPoints` of what
    /// it is taken off, a refund of more than `refundLimit` (minor units; nil: every refund needs one).
    public struct BillingRules: Sendable, Equatable {
        public var discountLimitBasisPoints = 1_000
        public var refundLimit: Int64? = nil
    }

    /// One procedure of `procedures:`: a code the clinic uses, its name, its fee in minor units of `currency`.
    public struct Procedure: Sendable, Equatable {
        public var code: String
        public var name: String
        public var fee: Int64
    }

    public struct Branch: Sendable, Equatable {
        public var code: String
        public var name: String
        public var address: String?
    }
}
