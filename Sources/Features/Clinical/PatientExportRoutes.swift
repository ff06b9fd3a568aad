import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Patients

/// `GET /api/v1/patients/{id}/export` and the chart's *Copy of the record* button: the patient's own copy
/// (`PatientExport`) from every module the tenant has on, audited. The copy must be whole, so a user limited to some
/// branches is sent to someone who sees them all.
package enum PatientExportRoutes {
    package static func api(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        return try await answer(patient: patient, user: context.user, tenant: context.tenant, storage: context.storage, actor: context.actor)
    }

    package static func page(_: Request, _ context: PageRequestContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        return try await answer(patient: patient, user: context.user, tenant: context.tenant, storage: context.storage, actor: context.actor)
    }

    private static func answer(
        patient: Int64,
        user: AuthenticatedUser,
        tenant: Tenant,
        storage: TenantStorage,
        actor: AuditActor
    ) async throws
        -> Response
    {
        guard user.branchFilter == nil else {
            throw Problem(
                .forbidden,
                title: "Only a whole copy",
                detail: "A patient's copy of their record must hold every branch's records; you work in some branches only. Ask an admin."
            )
        }
        let tables = tenant.catalog.modules.filter { tenant.features.contains($0.id) }.flatMap(\.patientExport)
        let database = try await storage.database()
        // Long: every record and document of the patient, read on the blocking pool in one transaction.
        let archive = try await database.longRead { db in
            _ = try PatientRecords.changes.current(db, id: patient)
            return try PatientExport.build(db, patient: patient, tables: tables, tenant: tenant)
        }
        try await database.write { db in
            try AuditLog.record(
                db,
                actor: actor,
                action: "patients.exported",
                entityType: "patient",
                entityID: String(patient),
                changes: ["bytes": AuditChange(before: nil, after: String(archive.bytes.count))]
            )
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(archive.fileName)\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(data: archive.bytes))
        )
    }
}
