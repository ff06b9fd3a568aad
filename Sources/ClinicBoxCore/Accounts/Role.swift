/// What a user may do in their tenant, from most to least.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// The whole organisation: user management, audit, every branch.
    case admin
    /// Everything within their branches.
    case manager
    /// Clinical work: prescriptions, treatments, dispensing.
    case clinician
    /// Front desk and till: patients, appointments, sales.
    case staff
}
