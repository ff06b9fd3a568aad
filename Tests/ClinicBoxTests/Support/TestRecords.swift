import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// Records and documents several suites read: a patient to register, the patients' names, the OpenAPI document.
enum TestRecords {
    static var ada: [String: Any] {
        ["first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1985-12-10", "sex": "female", "phone": "+44 20 7946 0018"]
    }

    static func patientNames(_ desk: APIClient) async throws -> [String] {
        try await desk.get("patients?sort=name").items.compactMap { $0["last_name"] as? String }
    }

    static func openAPIDocument(_ client: some TestClientProtocol) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
        #expect(response.status == .ok)
        return response.json
    }
}
