import ClinicBoxCore
import Hummingbird

/// `GET /api/v1/patients/{id}/statement`: the patient's invoices, credit notes, payments and refunds with a running
/// balance, from the reader's branches, and what they owe or hold in all.
package struct StatementAPI {
    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try PaymentsAPI.requirePatient(db, id)
            return try PatientStatement.json(db, patient: id, branches: branches)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
