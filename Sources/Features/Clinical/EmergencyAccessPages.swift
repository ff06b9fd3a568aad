import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

/// `/patients/{id}/emergency-access` and `POST /api/v1/patients/{id}/emergency-access`: opening a whole chart in
/// an emergency by saying why (`EmergencyAccess`). Offered to those whose role or branches hide part of the chart,
/// when the tenant's `security.emergency_access` names their role; never to an API key.
package struct EmergencyAccessPages {
    package let pages: ModulePages

    /// True when `user` may ask for emergency access and it would show them more than they see.
    package static func offered(to reader: ChartReader, _ user: AuthenticatedUser, _ tenant: Tenant) -> Bool {
        reader.emergency == nil && user.scope == nil && !user.isAPIKey && tenant.definition.security.emergencyAccess.contains(user.role)
            && (reader.branches != nil || !reader.may(.clinicalRead, tenant.permissions))
    }

    private static let field = "reason"

    package func form(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await show(context, reason: "", error: nil)
    }

    private func show(_ context: PageRequestContext, reason: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let (user, tenant) = (context.user, context.tenant)
        let database = try await context.storage.database()
        let (patient, reader) = try await database.read { db in
            (PatientDetails(row: try PatientRecords.changes.current(db, id: id)), try ChartReader.reading(id, by: user, db))
        }
        let chart = "\(context.basePath)/patients/\(id)"
        if reader.emergency != nil { return Pages.seeOther(chart) }
        guard Self.offered(to: reader, user, tenant) else { throw Self.refusal(reader, user, tenant) }
        let data: [String: Any] = [
            "patient": patient.title, "number": patient.fields["number"] as? String ?? "", "chart": chart, "minutes": EmergencyAccess.minutes,
            "action": chart + "/emergency-access",
            "reason": FormField(name: Self.field, label: "Why you need this chart now", kind: .textArea, value: reason, required: true, error: error),
        ]
        return pages.page(context, "emergency-access", title: "Emergency access: \(patient.title)", data: data, status: status)
    }

    package func open(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let form = try await context.submittedForm(request)
        let reason = form[Self.field] ?? ""
        if let problem = EmergencyAccess.problem(reason: reason) {
            return try await show(context, reason: reason, error: problem, status: .unprocessableContent)
        }
        let id = try context.recordID(entity: "patient")
        _ = try await Self.open(
            patient: id,
            reason: reason,
            user: context.user,
            tenant: context.tenant,
            actor: context.actor,
            storage: context.storage
        )
        return Pages.seeOther("\(context.basePath)/patients/\(id)")
    }

    /// The API's form of it: `{"reason"}` → `201` with when it ends.
    package static func openFromAPI(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: [field])
        let reason = fields.text(field, required: true, maxLength: 500)
        if let reason, let problem = EmergencyAccess.problem(reason: reason) { fields.fail(field, problem) }
        try fields.finish()
        let id = try context.recordID(entity: "patient")
        let grant = try await open(
            patient: id,
            reason: reason ?? "",
            user: context.user,
            tenant: context.tenant,
            actor: context.actor,
            storage: context.storage
        )
        return .json(
            JSONValue.object(["id": .integer(grant.id), "ends_at": .string(grant.endsAt), "reason": .string(grant.reason)]),
            status: .created
        )
    }

    /// Opens the chart, unless the user may not or already sees all of it; a live grant is answered as it is.
    private static func open(
        patient id: Int64,
        reason: String,
        user: AuthenticatedUser,
        tenant: Tenant,
        actor: AuditActor,
        storage: TenantStorage
    ) async throws -> EmergencyAccess.Grant {
        try await storage.database().write { db in
            _ = try PatientRecords.changes.current(db, id: id)
            let reader = try ChartReader.reading(id, by: user, db)
            if let grant = reader.emergency { return grant }
            guard offered(to: reader, user, tenant) else { throw refusal(reader, user, tenant) }
            return try EmergencyAccess.open(db, user: user, patient: id, reason: reason, actor: actor)
        }
    }

    private static func refusal(_ reader: ChartReader, _ user: AuthenticatedUser, _ tenant: Tenant) -> Problem {
        if user.scope != nil || user.isAPIKey {
            return Problem(.forbidden, title: "Not for API keys", detail: "Emergency access is for a person signed in, not for an API key.")
        }
        if reader.branches == nil, reader.may(.clinicalRead, tenant.permissions) {
            return Problem(.conflict, title: "You see the whole chart", detail: "Your role and branches already show you all of this chart.")
        }
        if !tenant.definition.security.emergencyAccess.contains(user.role) {
            return Problem(
                .forbidden,
                title: "Emergency access is off",
                detail: "This clinic does not allow emergency access for \(user.role.rawValue)s (security.emergency_access in its tenant file)."
            )
        }
        return Problem(.forbidden, title: "Not allowed", detail: "Emergency access is not offered to you for this chart.")
    }
}
