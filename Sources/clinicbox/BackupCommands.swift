import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation

/// Options every data command shares.
struct DataOptions: ParsableArguments {
    @Option(help: "Tenant folder [env: CLINICBOX_TENANTS] (default: ./tenants.d)") var tenants: String?
    @Option(help: "Data folder [env: CLINICBOX_DATA] (default: ./data)") var data: String?
    @Option(help: "A folder whose files replace the built-in assets [env: CLINICBOX_ASSETS]") var assets: String?

    var tenantsFolder: String { Environment.value(tenants, "CLINICBOX_TENANTS", default: "tenants.d") }
    var dataFolder: String { Environment.value(data, "CLINICBOX_DATA", default: "data") }
    var assetsFolder: String? { Environment.optional(assets, "CLINICBOX_ASSETS") }

    /// The valid tenant `text` names, with its definition, or a clear refusal.
    func tenant(_ text: String) throws -> (TenantID, TenantCheck.Report) {
        let report = TenantCheck.run(tenantsFolder: tenantsFolder, assetsFolder: assetsFolder, catalog: Environment.catalog)
        guard let id = TenantID(text), report.definitions[id] != nil else { throw ValidationError("no valid tenant '\(text)' in \(tenantsFolder)") }
        return (id, report)
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy tenant databases while the server runs; each copy is checked and gets a manifest. One line per tenant."
    )

    @Option(help: "Only this tenant") var tenant: String?
    @Option(help: "Where the backups go (default: <data>/backups, or CLINICBOX_BACKUPS)") var out: String?
    @OptionGroup var options: DataOptions

    func run() throws {
        let report = TenantCheck.run(tenantsFolder: options.tenantsFolder, assetsFolder: options.assetsFolder, catalog: Environment.catalog)
        var selected = report.validTenants
        if let tenant { selected = [try options.tenant(tenant).0] }
        let backups = TenantBackups(folder: Environment.value(out, "CLINICBOX_BACKUPS", default: options.dataFolder + "/backups"))
        var failed = false
        for id in selected {
            let live = id.databasePath(in: options.dataFolder)
            guard FileManager.default.fileExists(atPath: live) else {
                print("\(id): no database yet, nothing to back up")
                continue
            }
            do {
                let (manifest, path) = try backups.make(id, databasePath: live)
                print("\(id): \(path) (\(manifest.bytes) bytes, integrity ok, sha256 \(manifest.sha256.prefix(12))…)")
            } catch {
                failed = true
                print("\(id): FAILED — \(error)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of a tenant's database; a running server switches to it within a second.",
        discussion:
            "The file must pass integrity_check and be a database of this tenant that this binary can read. The database it replaces is kept beside it as <id>.sqlite.replaced-<time>."
    )

    @Option(help: "The tenant to restore") var tenant: String
    @Argument(help: "The backup file (a .sqlite from `clinicbox backup`)") var file: String
    @OptionGroup var options: DataOptions

    func run() async throws {
        let (id, report) = try options.tenant(tenant)
        do {
            let outcome = try await TenantRestore.run(file, tenant: id, dataFolder: options.dataFolder, schema: report.schemas[id] ?? .standard)
            print("\(id): restored from \(file)" + (outcome.keptAs.map { "; the previous database is kept as \($0)" } ?? ""))
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one archive with a tenant's YAML file, logo and a consistent copy of its database, to move it to another box."
    )

    @Option(help: "The tenant to export") var tenant: String
    @Option(help: "The archive to write (default: ./<id>-<time>.clinicbox.tar)") var out: String?
    @OptionGroup var options: DataOptions

    func run() throws {
        let (id, _) = try options.tenant(tenant)
        let now = Date()
        let destination = out ?? "\(id)-\(Timestamp.fileStamp(now)).clinicbox.tar"
        do {
            let manifest = try TenantArchive.export(
                id,
                tenantsFolder: options.tenantsFolder,
                dataFolder: options.dataFolder,
                assetsFolder: options.assetsFolder,
                catalog: Environment.catalog,
                to: destination,
                now: now
            )
            print("\(id): exported to \(destination) (database \(manifest.bytes) bytes, integrity ok)")
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install a tenant from an archive made by `clinicbox export`; a running server picks it up at its next reload."
    )

    @Argument(help: "The archive") var archive: String
    @Flag(help: "Overwrite a tenant that already exists here (its database is kept beside the new one)") var replace = false
    @OptionGroup var options: DataOptions

    func run() async throws {
        do {
            let imported = try await TenantArchive.import(
                archive,
                tenantsFolder: options.tenantsFolder,
                dataFolder: options.dataFolder,
                assetsFolder: options.assetsFolder,
                catalog: Environment.catalog,
                replace: replace
            )
            print(
                "\(imported.tenant): imported from \(archive) (backup of \(imported.manifest.createdAt))"
                    + (imported.replacedDatabase.map { "; the previous database is kept as \($0)" } ?? "")
            )
            let check = TenantCheck.run(tenantsFolder: options.tenantsFolder, assetsFolder: options.assetsFolder, catalog: Environment.catalog)
            for problem in check.problems where problem.file.hasSuffix("/\(imported.tenant).yaml") { print(problem.description) }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
