import ClinicBoxCore
import Hummingbird

/// `GET /api/v1/patients/{id}/statement`: the patient's invoices, credit notes, payments and refunds with a running
/// balance, from the reader's branches, and what they owe or hold in all.
package struct StatementAPI {
    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let database = try await context.storage.database()
        let key = "\(id)|\(branches?.joined(separator: ",") ?? "*")"
        let json = try await StatementCache.of(database).statement(key) {
            try await database.read { db in
                try PaymentsAPI.requirePatient(db, id)
                return try PatientStatement.json(db, patient: id, branches: branches)
            }
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
