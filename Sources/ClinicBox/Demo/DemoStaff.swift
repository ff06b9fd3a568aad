import Appointments
import ClinicBoxCore
import Foundation
import Inventory
import Patients
import Prescriptions
import Reports
import Sales
import Treatments
import Visits

/// One demo user per role (two clinicians where patients are booked with a practitioner), named for the work they
/// do at this kind of tenant: `dentist@smile-dental.demo`, `cashier@greenleaf-pharmacy.demo`.
package struct DemoStaff {
    package enum Job: String, CaseIterable, Sendable {
        case owner, manager, clinician, secondClinician, desk

        package var role: Role {
            switch self {
            case .owner: .admin
            case .manager: .manager
            case .clinician, .secondClinician: .clinician
            case .desk: .staff
            }
        }
    }

    package var users: [(Job, AuthenticatedUser)] = []
    package var accounts: [DemoData.Account] = []

    package func user(_ job: Job) -> AuthenticatedUser? { users.first { $0.0 == job }?.1 }

    package static func make(for tenant: Tenant, password: String, database: TenantDatabase) async throws -> DemoStaff {
        let accounts = UserAccounts(tenant: tenant.definition, database: database)
        let branches = tenant.definition.branches.map(\.code)
        var staff = DemoStaff()
        // Each tenant's team starts at another name, so three tenants are not run by the same people.
        var random = DemoRandom(seed: "staff " + tenant.id.rawValue)
        let first = Int(random.next() % UInt64(DemoPeople.staff.count))
        for (index, (job, mailbox, title)) in posts(tenant.definition.domain).enumerated() {
            let person = DemoPeople.staff[(first + index) % DemoPeople.staff.count]
            let name = (title.map { "\($0) " } ?? "") + "\(person.first) \(person.last)"
            let email = "\(mailbox)@\(tenant.id).demo"
            // The second clinician works at the second branch, where there is one, so the day spans branches.
            let branch = job == .secondClinician && branches.count > 1 ? [branches[1]] : []
            let user: User
            if let existing = try await accounts.user(email: email) {
                try await accounts.setPassword(email: email, to: password, by: .commandLine)
                user = existing
            } else {
                user = try await accounts.create(
                    .init(email: email, displayName: name, role: job.role, branches: branch, password: password),
                    by: .commandLine
                )
            }
            staff.users.append(
                (
                    job,
                    AuthenticatedUser(signingIn: user)
                )
            )
            staff.accounts.append(.init(email: user.email, role: user.role, name: user.displayName))
        }
        return staff
    }

    /// Each job's mailbox at this kind of tenant, and the title before the name.
    private static func posts(_ domain: TenantDomain) -> [(Job, String, String?)] {
        switch domain {
        case .dental:
            [
                (.owner, "owner", nil), (.manager, "manager", nil), (.clinician, "dentist", "Dr"), (.secondClinician, "hygienist", nil),
                (.desk, "reception", nil),
            ]
        case .pharmacy:
            [(.owner, "owner", nil), (.manager, "manager", nil), (.clinician, "pharmacist", nil), (.desk, "cashier", nil)]
        default:
            [
                (.owner, "owner", nil), (.manager, "manager", nil), (.clinician, "doctor", "Dr"), (.secondClinician, "nurse", nil),
                (.desk, "reception", nil),
            ]
        }
    }
}
