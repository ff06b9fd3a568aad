import ClinicBoxCore
import Foundation
import Hummingbird
import Patients

/// `/patients/import`: an admin uploads the CSV file, checks it (nothing is imported) and then imports it; the page
/// lists every problem by line and column and every row already here, as `clinicbox import-patients` prints them.
package struct PatientImportPage {
    package let pages: ModulePages

    /// The largest file the page takes: about 100,000 patients.
    package static let maxMB = 20

    package func form(_: Request, _ context: PageRequestContext) async throws -> Response { page(context, report: nil, fileName: nil) }

    package func upload(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let upload: FileUpload
        do {
            let tooLarge = Problem(.contentTooLarge, title: "File too large", detail: "The file is larger than \(Self.maxMB) MB; split it.")
            upload = try await FileUpload.read(request, maxMB: Self.maxMB, tooLarge: tooLarge)
        } catch let problem as Problem where [.contentTooLarge, .unprocessableContent, .badRequest, .unsupportedMediaType].contains(problem.status) {
            return page(
                context,
                report: nil,
                fileName: nil,
                message: problem.detail,
                status: problem.status
            )
        }
        try context.verifyForm(request, token: upload.values["csrf_token"])
        guard let text = String(bytes: upload.bytes, encoding: .utf8) else {
            return page(
                context,
                report: nil,
                fileName: upload.fileName,
                message: "The file is not UTF-8 text: save the spreadsheet as CSV UTF-8 and choose it again.",
                status: .unprocessableContent
            )
        }
        let dryRun = upload.values["mode"] != "import"
        let (definition, actor, today, name) = (
            context.tenant.definition, context.actor, CalendarDate.today(in: context.tenant.timeZone), upload.fileName ?? "patients.csv"
        )
        let report = try await context.storage.database().write { db in
            try PatientImport.run(db, text: text, fileName: name, definition: definition, today: today, dryRun: dryRun, actor: actor)
        }
        return page(context, report: report, fileName: name, dryRun: dryRun)
    }

    private func page(
        _ context: PageRequestContext,
        report: PatientImport.Report?,
        fileName: String?,
        dryRun: Bool = true,
        message: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var data: [String: Any] = [
            "columns": PatientImport.columns.joined(separator: ","), "action": "\(context.basePath)/patients/import", "maxMB": String(Self.maxMB),
        ]
        if let message { data["message"] = message }
        if let report, let fileName {
            let summary =
                dryRun
                ? "\(fileName): \(report.rows) rows checked. \(report.imported) would be imported, \(report.duplicates.count) are already here, \(report.problems.count) problems. Nothing was imported."
                : "\(fileName): \(report.imported) patients imported, \(report.duplicates.count) already here and skipped, \(report.problems.count) problems (those rows were not imported)."
            data["summary"] = summary
            data["problems"] = report.problems.map { ["line": String($0.line), "column": String($0.column), "message": $0.message] }
            data["hasProblems"] = !report.problems.isEmpty
            data["duplicates"] = report.duplicates.map { ["line": String($0.line), "message": $0.message] }
            data["hasDuplicates"] = !report.duplicates.isEmpty
        }
        return pages.page(context, "import", title: "Import patients", data: data, status: status)
    }
}
