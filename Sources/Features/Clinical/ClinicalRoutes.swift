import ClinicBoxCore
import Hummingbird
import Patients

/// Where the clinical part answers, beside patients: `/api/v1/patients/{id}/allergies`, `/problems` and `/chart`, and
/// on pages the chart itself (`/patients/{id}`), its allergy and problem forms and the import of a patient list.
extension ClinicalModule {
    package var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] { ["patients": patientEndpoints] }

    /// Allergies (safety information, seen by everyone who sees the patient) and problems (clinical content).
    private var patientEndpoints: [Endpoint<AuthenticatedContext>] {
        let (clinical, allergies, problems) = (ClinicalAPI(), FactListAPI<PatientAllergies>(), FactListAPI<PatientProblems>())
        return [
            Endpoint(
                .get(
                    "{id}/allergies",
                    "The patient's allergy state and every allergy entry, active ones first",
                    action: .patientsRead,
                    response: .json(.ref("Allergies"))
                ),
                use: clinical.allergies
            ),
            Endpoint(
                .post(
                    "{id}/allergies",
                    "Record an allergy (replaces a recorded \"no known allergies\")",
                    action: .allergiesWrite,
                    request: .ref("AllergyInput"),
                    response: .json(.ref("Allergy"))
                ),
                use: allergies.record
            ),
            Endpoint(
                .put(
                    "{id}/allergies/none",
                    "Record \"no known allergies\" (409 while an allergy is active)",
                    action: .allergiesWrite,
                    response: .json(.ref("Allergies"))
                ),
                use: clinical.recordNoKnownAllergies
            ),
            Endpoint(
                .patch(
                    "{id}/allergies/{allergy_id}",
                    "Change an allergy entry: severity, reaction, or status inactive / entered_in_error",
                    action: .allergiesWrite,
                    request: .ref("AllergyUpdate"),
                    response: .json(.ref("Allergy"))
                ),
                use: allergies.change
            ),
            Endpoint(
                .get(
                    "{id}/chart",
                    "The patient's chart: allergies, active problems (clinical roles) and the timeline of every module, newest first (audited)",
                    action: .patientsRead,
                    query: [
                        "limit": (
                            .integer(minimum: 1, maximum: Int64(PatientTimeline.longest)),
                            "timeline entries, newest first; default \(PatientTimeline.shown)"
                        )
                    ],
                    response: .json(.ref("Chart"))
                ),
                use: clinical.chart
            ),
            Endpoint(
                .get(
                    "{id}/export",
                    "The patient's own copy of their record: a ZIP with summary.html, record.json and the documents (audited)",
                    action: .patientsExport,
                    response: .file(["application/zip"])
                ),
                use: PatientExportRoutes.api
            ),
            Endpoint(
                .post(
                    "{id}/emergency-access",
                    "Open the whole chart for 60 minutes in an emergency, saying why (roles in security.emergency_access; audited, admins alerted)",
                    action: .patientsRead,
                    request: .object(
                        ["reason": .string(description: "why, 10 to 500 characters", maxLength: 500, pattern: "\\S[\\s\\S]{8,}\\S")],
                        required: ["reason"]
                    ),
                    response: .json(.object(["id": .id, "ends_at": .timestamp, "reason": .text])),
                    idempotent: false
                ),
                use: EmergencyAccessPages.openFromAPI
            ),
            Endpoint(
                .get(
                    "{id}/problems",
                    "The patient's problem list, active ones first (audited as a chart view)",
                    action: .clinicalRead,
                    response: .json(.ref("PatientProblems"))
                ),
                use: clinical.problems
            ),
            Endpoint(
                .post(
                    "{id}/problems",
                    "Record a problem (condition), optionally with its ICD-10 code",
                    action: .clinicalWrite,
                    request: .ref("PatientProblemInput"),
                    response: .json(.ref("PatientProblem"))
                ),
                use: problems.record
            ),
            Endpoint(
                .patch(
                    "{id}/problems/{problem_id}",
                    "Change a problem, e.g. mark it resolved",
                    action: .clinicalWrite,
                    request: .ref("PatientProblemUpdate"),
                    response: .json(.ref("PatientProblem"))
                ),
                use: problems.change
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (chart, importing, emergency) = (ClinicalPages(pages: pages), PatientImportPage(pages: pages), EmergencyAccessPages(pages: pages))
        let (allergies, problems) = (FactListPages<PatientAllergies>(chart: chart), FactListPages<PatientProblems>(chart: chart))
        return [
            .page(.get, "{id}", "chart", action: .patientsRead, template: "show", use: chart.show),
            .page(.get, "{id}/export", "the patient's copy of their record", action: .patientsExport, use: PatientExportRoutes.page),
            .page(.get, "{id}/emergency-access", "emergency access form", action: .patientsRead, template: "emergency-access", use: emergency.form),
            .page(.post, "{id}/emergency-access", "open a chart in an emergency", action: .patientsRead, use: emergency.open),
            .page(.post, "{id}/allergies", "record an allergy", action: .allergiesWrite, use: allergies.record),
            .page(.post, "{id}/allergies/none", "record no known allergies", action: .allergiesWrite, use: chart.recordNone),
            .page(.post, "{id}/allergies/{allergy_id}", "change an allergy's status", action: .allergiesWrite, use: allergies.change),
            .page(.post, "{id}/problems", "record a problem", action: .clinicalWrite, use: problems.record),
            .page(.post, "{id}/problems/{problem_id}", "change a problem's status", action: .clinicalWrite, use: problems.change),
            .page(.get, "import", "import form", action: .patientsImport, template: "import", use: importing.form),
            .page(.post, "import", "check or import a file", action: .patientsImport, use: importing.upload),
        ]
    }
}
