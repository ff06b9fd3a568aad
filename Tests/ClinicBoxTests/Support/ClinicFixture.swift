import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// A Berlin clinic with appointments, the fixture of the appointment API, page and accessibility tests.
enum ClinicFixture {
    /// A Berlin clinic with two branches; doc works in both, nurse only in `north`, desk (staff) only in `main`.
    static func server(_ workspace: TestWorkspace) async throws -> (ClinicBoxServer, doc: Int64, nurse: Int64) {
        try workspace.write(
            "clinic",
            TestTenant.yaml(
                "clinic",
                features: ["patients", "appointments"],
                extra: """
                    branches:
                      - code: main
                        name: Main
                      - code: north
                        name: North
                    """
            )
        )
        let server = try await workspace.server()
        let accounts = try await server.accounts("clinic")
        var ids: [Int64] = []
        for (email, role, branches) in [
            ("doc@example.com", Role.clinician, [String]()), ("nurse@example.com", .clinician, ["north"]), ("desk@example.com", .staff, ["main"]),
        ] {
            ids.append(
                try await accounts.create(
                    .init(email: email, displayName: email, role: role, branches: branches, password: TestUsers.password),
                    by: .commandLine
                ).id
            )
        }
        return (server, ids[0], ids[1])
    }

    static func booking(_ patient: Any, _ practitioner: Int64, _ start: String, minutes: Int = 30, branch: String = "main") -> [String: Any] {
        ["patient_id": patient, "practitioner_id": practitioner, "branch": branch, "start": start, "duration_minutes": minutes, "reason": "check-up"]
    }
}
