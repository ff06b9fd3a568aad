import GRDB
import Hummingbird

extension PermissionAction {
    /// Signing locks a visit; only its own practitioner does it (checked by the handler), and only clinicians and admins.
    static let visitsSign = PermissionAction("visits.sign", doing: "sign visits")
}

/// Consultations: a practitioner's SOAP notes, vitals and diagnoses for one patient at one branch, optionally from a
/// checked-in appointment, signed once and corrected afterwards only by addenda. Clinical content: the actions are
/// the patients module's `clinical.read` and `clinical.write`.
struct VisitsModule: FeatureModule {
    let id = "visits"
    let domains: Set<TenantDomain> = [.clinic, .dental, .general]
    let dependencies = ["patients"]
    let summary = "visits: SOAP notes, vitals and diagnoses, signed and corrected by addenda"
    let actions: [PermissionAction: Set<Role>] = [.visitsSign: [.clinician]]
    let migrations = [VisitSchema.step, VisitSchema.diagnosisOwnerStep, VisitSchema.mergeStep, VisitSchema.enteredLaterStep]

    static let appointmentsAdd = "a visit can start from a checked-in appointment"
    static let prescriptionsAdd = "a visit's page writes prescriptions linked to it and lists them"
    let optionalDependencies = ["appointments": appointmentsAdd, "prescriptions": prescriptionsAdd]

    let navigation: ModuleNavigation? = ModuleNavigation(label: "Visits", action: .clinicalRead)
    let patientActions = [PatientAction(label: "Start visit", path: "new", action: .clinicalWrite)]

    var schemas: [String: OpenAPISchema] {
        var content: [String: OpenAPISchema] = Dictionary(
            uniqueKeysWithValues: VisitContent.noteFields.map { ($0, OpenAPISchema.string(nullable: true, maxLength: VisitContent.noteLimit)) }
        )
        for vital in Vital.all {
            let range = "\(RequestFields.plain(vital.range.lowerBound))–\(RequestFields.plain(vital.range.upperBound)) \(vital.unit)"
            content[vital.name] =
                vital.whole
                ? .integer(
                    nullable: true,
                    description: "\(vital.label), \(range)",
                    minimum: Int64(vital.range.lowerBound),
                    maximum: Int64(vital.range.upperBound)
                )
                : .number(nullable: true, description: "\(vital.label), \(range)", minimum: vital.range.lowerBound, maximum: vital.range.upperBound)
        }
        let diagnosis = OpenAPISchema.object(["description": .text, "icd10_code": .optionalText], required: ["description"])
        content["diagnoses"] = .array(diagnosis)
        return [
            "Visit": .object(
                content.merging([
                    "id": .id, "number": .text, "patient_id": .id, "branch": .text, "practitioner_id": .id, "practitioner_name": .text,
                    "appointment_id": .optionalID, "visit_date": .date, "started_at": .timestamp, "status": .choice(VisitRoutes.statuses),
                    "entered_later": .boolean,
                    "bmi": .number(nullable: true, description: "body mass index from weight and height"),
                    "signed_at": .string(format: "date-time", nullable: true),
                    "signed_by_name": .optionalText, "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
                    "addenda": .array(.object(["text": .text, "author": .text, "at": .timestamp])),
                ]) { $1 }
            ),
            "VisitInput": .object(content.merging(["patient_id": .id, "branch": .text, "appointment_id": .id, "visit_date": .date]) { $1 }),
            "VisitUpdate": .object(content.merging(["version": .version]) { $1 }, required: ["version"]),
            "VisitSigning": .object(["version": .version]),
            "Addendum": .object(["text": .string(maxLength: VisitContent.noteLimit)], required: ["text"]),
        ]
    }

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let routes = VisitRoutes()
        return [
            Endpoint(
                .get(
                    "",
                    "Visits, newest first (audited as chart views when opened one by one)",
                    action: .clinicalRead,
                    query: APIOperation.paging(
                        VisitRoutes.sorting,
                        [
                            "patient_id": (.id, "patient"), "practitioner_id": (.id, "practitioner"), "branch": (.text, "branch code"),
                            "date": (.date, "the visit's day"), "status": (.choice(VisitRoutes.statuses), ""),
                        ]
                    ),
                    response: .json(.page(of: "Visit"))
                ),
                use: routes.list
            ),
            Endpoint(
                .post(
                    "",
                    "Start a visit (from a checked-in appointment with appointment_id)",
                    action: .clinicalWrite,
                    request: .ref("VisitInput"),
                    response: .json(.ref("Visit"))
                ),
                use: routes.create
            ),
            Endpoint(
                .get(
                    "{id}",
                    "One visit with its diagnoses and addenda (audited as a chart view)",
                    action: .clinicalRead,
                    response: .json(.ref("Visit"))
                )
            ) { _, context in try await routes.show(context) },
            Endpoint(
                .patch(
                    "{id}",
                    "Change an open visit (its practitioner only; a signed one is a 409)",
                    action: .clinicalWrite,
                    request: .ref("VisitUpdate"),
                    response: .json(.ref("Visit"))
                ),
                use: routes.update
            ),
            Endpoint(
                .post(
                    "{id}/sign",
                    "Sign an open visit: it never changes again",
                    action: .visitsSign,
                    request: .ref("VisitSigning"),
                    status: 200,
                    response: .json(.ref("Visit")),
                    idempotent: false
                ),
                use: routes.sign
            ),
            Endpoint(
                .post(
                    "{id}/addenda",
                    "Append an addendum to a signed visit",
                    action: .clinicalWrite,
                    request: .ref("Addendum"),
                    response: .json(.ref("Visit"))
                ),
                use: routes.addAddendum
            ),
        ]
    }
}

extension VisitsModule {
    func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        VisitPages(pages: pages).endpoints
    }
}
