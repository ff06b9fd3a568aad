import ClinicBoxCore
import Foundation
import Patients

extension TenantAccess {
    /// `clinicbox import-patients`: checks, and unless `dryRun` imports, the patients of the CSV file at `path` into
    /// a tenant opened by `TenantAccess.open`.
    package static func importPatients(
        file path: String,
        dryRun: Bool,
        into tenant: (definition: TenantDefinition, database: TenantDatabase)
    ) async throws -> PatientImport.Report {
        let (definition, database) = tenant
        let id = definition.id
        guard definition.features.contains("patients") else { throw Failure(description: "tenant '\(id)' does not have the patients feature") }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(description: "\(path): is not UTF-8 text; save the CSV as UTF-8") }
        let name = (path as NSString).lastPathComponent
        let today = CalendarDate.today(in: TimeZone(identifier: definition.timezone) ?? .current)
        return try await database.write { db in
            try PatientImport.run(db, text: text, fileName: name, definition: definition, today: today, dryRun: dryRun, actor: .commandLine)
        }
    }
}
