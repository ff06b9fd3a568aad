import ClinicBoxCore
import Hummingbird

/// Where the patients module answers: its API at `/api/v1/patients` (and `/api/v1/documents/{id}`), its pages at
/// `/patients`. Each endpoint names its permission and handler; the handlers live in the `…API` and `…Pages` types.
extension PatientsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = PatientsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "List and search patients",
                    action: .patientsRead,
                    query: APIOperation.paging(
                        PatientsAPI.sorting,
                        [
                            "q": (.text, "patient number, phone digits, or part of the name"), "active": (.boolean, "true or false"),
                            "date_of_birth": (.date, "exact date of birth"),
                        ]
                    ),
                    response: .json(.page(of: "Patient"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Register a patient (409 when they may already be registered, unless confirm_new)",
                    action: .patientsWrite,
                    request: .ref("PatientInput"),
                    response: .json(.ref("Patient"))
                ),
                use: api.create
            ),
            Endpoint(.get("{id}", "One patient", action: .patientsRead, response: .json(.ref("Patient"))), use: api.show),
            Endpoint(
                .patch(
                    "{id}",
                    "Change a patient (only the fields sent)",
                    action: .patientsWrite,
                    request: .ref("PatientUpdate"),
                    response: .json(.ref("Patient"))
                ),
                use: api.update
            ),
            Endpoint(
                .post(
                    "{id}/merge",
                    "Merge a duplicate record into this patient: every record moves here, the duplicate stays as a pointer",
                    action: .patientsMerge,
                    request: .ref("PatientMerge"),
                    status: 200,
                    response: .json(.ref("Patient")),
                    idempotent: false
                ),
                use: api.merge
            ),
        ] + clinicalEndpoints + documentEndpoints
    }

    /// Allergies (safety information, seen by everyone who sees the patient) and problems (clinical content).
    private var clinicalEndpoints: [Endpoint<AuthenticatedContext>] {
        let clinical = ClinicalAPI()
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
                use: clinical.recordAllergy
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
                use: clinical.changeAllergy
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
                use: clinical.recordProblem
            ),
            Endpoint(
                .patch(
                    "{id}/problems/{problem_id}",
                    "Change a problem, e.g. mark it resolved",
                    action: .clinicalWrite,
                    request: .ref("PatientProblemUpdate"),
                    response: .json(.ref("PatientProblem"))
                ),
                use: clinical.changeProblem
            ),
        ]
    }

    private var documentEndpoints: [Endpoint<AuthenticatedContext>] {
        let documents = DocumentsAPI()
        var upload = APIOperation.post(
            "{id}/documents",
            "File a scan or photo (PDF, JPEG, PNG or WebP, judged by its bytes) to the patient, optionally to one of their visits",
            action: .documentsWrite,
            request: .ref("DocumentUpload"),
            response: .json(.ref("PatientDocument"))
        )
        upload.requestType = "multipart/form-data"
        return [
            Endpoint(upload, use: documents.file),
            Endpoint(
                .get(
                    "{id}/documents",
                    "The patient's documents, newest first (clinical ones for clinical roles only)",
                    action: .patientsRead,
                    response: .json(.ref("PatientDocuments"))
                ),
                use: documents.list
            ),
        ]
    }

    /// `GET /api/v1/documents/{id}`: a document is fetched by its own id, wherever its link was found.
    package var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] {
        let documents = DocumentsAPI()
        return [
            "documents": [
                Endpoint(
                    .get(
                        "{id}",
                        "Download a document (its bytes as an attachment; always audited; 410 once withdrawn)",
                        action: .patientsRead,
                        response: .file(DocumentType.allCases.map(\.mediaType))
                    ),
                    use: documents.download
                ),
                Endpoint(
                    .post(
                        "{id}/withdraw",
                        "Withdraw a document filed in error, with the reason: kept, but no longer listed, on the chart or opened",
                        action: .documentsWrite,
                        request: .ref("DocumentWithdrawal"),
                        status: 200,
                        response: .json(.ref("PatientDocument"))
                    ),
                    use: documents.withdraw
                ),
            ]
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (patients, chart, documents) = (PatientsPages(pages: pages), PatientChartPages(pages: pages), DocumentPages(pages: pages))
        let (importing, merging) = (PatientImportPage(pages: pages), PatientMergePages(pages: pages))
        return [
            .page(.get, "", "list", action: .patientsRead, template: "list", use: patients.list),
            .page(.get, "new", "new form", action: .patientsWrite, template: "form", use: patients.newForm),
            .page(.post, "", "create", action: .patientsWrite, use: patients.create),
            .page(.get, "{id}/edit", "edit form", action: .patientsWrite, template: "form", use: patients.editForm),
            .page(.post, "{id}", "update", action: .patientsWrite, use: patients.update),
            .page(.get, "{id}", "chart", action: .patientsRead, template: "show", use: chart.show),
            .page(.post, "{id}/allergies", "record an allergy", action: .allergiesWrite, use: chart.recordAllergy),
            .page(.post, "{id}/allergies/none", "record no known allergies", action: .allergiesWrite, use: chart.recordNone),
            .page(.post, "{id}/allergies/{allergy_id}", "change an allergy's status", action: .allergiesWrite, use: chart.changeAllergy),
            .page(.post, "{id}/problems", "record a problem", action: .clinicalWrite, use: chart.recordProblem),
            .page(.post, "{id}/problems/{problem_id}", "change a problem's status", action: .clinicalWrite, use: chart.changeProblem),
            .page(.post, "{id}/documents", "file a document", action: .documentsWrite, use: documents.file),
            .page(.get, "{id}/documents/{document_id}", "open a document", action: .patientsRead, use: documents.open),
            .page(
                .post,
                "{id}/documents/{document_id}/withdraw",
                "withdraw a document filed in error",
                action: .documentsWrite,
                use: documents.withdraw
            ),
            .page(.get, "import", "import form", action: .patientsImport, template: "import", use: importing.form),
            .page(.post, "import", "check or import a file", action: .patientsImport, use: importing.upload),
            .page(.post, "{id}/merge", "merge a duplicate record into this one", action: .patientsMerge, use: merging.merge),
        ]
    }
}
