import Foundation

/// One demo user per role (two clinicians where patients are booked with a practitioner), named for the work they
/// do at this kind of tenant: `dentist@smile-dental.demo`, `cashier@greenleaf-pharmacy.demo`.
struct DemoStaff {
    enum Job: String, CaseIterable, Sendable {
        case owner, manager, clinician, secondClinician, desk
    }

    var users: [(Job, AuthenticatedUser)] = []
    var accounts: [DemoData.Account] = []

    func user(_ job: Job) -> AuthenticatedUser? { users.first { $0.0 == job }?.1 }

    static func make(for tenant: Tenant, password: String, database: TenantDatabase) async throws -> DemoStaff {
        let accounts = UserAccounts(tenant: tenant.definition, database: database)
        let branches = tenant.definition.branches.map(\.code)
        var staff = DemoStaff()
        // Each tenant's team starts at another name, so three tenants are not run by the same people.
        var random = DemoRandom(seed: "staff " + tenant.id.rawValue)
        let first = Int(random.next() % UInt64(DemoPeople.staff.count))
        for (index, job) in jobs(tenant.definition.domain).enumerated() {
            let (local, role, title) = job.details
            let person = DemoPeople.staff[(first + index) % DemoPeople.staff.count]
            let name = (title.map { "\($0) " } ?? "") + "\(person.first) \(person.last)"
            let email = "\(local)@\(tenant.id).demo"
            // The second clinician works at the second branch, where there is one, so the day spans branches.
            let branch = job.job == .secondClinician && branches.count > 1 ? [branches[1]] : []
            let user: User
            if let existing = try await accounts.user(email: email) {
                try await accounts.setPassword(email: email, to: password, by: .commandLine)
                user = existing
            } else {
                user = try await accounts.create(.init(email: email, displayName: name, role: role, branches: branch, password: password), by: .commandLine)
            }
            staff.users.append((job.job, AuthenticatedUser(id: user.id, email: user.email, role: user.role, branches: user.branches, tokenID: nil, displayName: user.displayName)))
            staff.accounts.append(.init(email: user.email, role: user.role, name: user.displayName))
        }
        return staff
    }

    private struct Detailed {
        var job: Job
        var details: (String, Role, String?)
    }

    private static func jobs(_ domain: TenantDomain) -> [Detailed] {
        switch domain {
        case .dental:
            return [
                .init(job: .owner, details: ("owner", .admin, nil)), .init(job: .manager, details: ("manager", .manager, nil)),
                .init(job: .clinician, details: ("dentist", .clinician, "Dr")), .init(job: .secondClinician, details: ("hygienist", .clinician, nil)),
                .init(job: .desk, details: ("reception", .staff, nil)),
            ]
        case .pharmacy:
            return [
                .init(job: .owner, details: ("owner", .admin, nil)), .init(job: .manager, details: ("manager", .manager, nil)),
                .init(job: .clinician, details: ("pharmacist", .clinician, nil)), .init(job: .desk, details: ("cashier", .staff, nil)),
            ]
        default:
            return [
                .init(job: .owner, details: ("owner", .admin, nil)), .init(job: .manager, details: ("manager", .manager, nil)),
                .init(job: .clinician, details: ("doctor", .clinician, "Dr")), .init(job: .secondClinician, details: ("nurse", .clinician, nil)),
                .init(job: .desk, details: ("reception", .staff, nil)),
            ]
        }
    }
}
