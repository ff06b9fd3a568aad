import Foundation

/// Moving a tenant to another box: `export` writes one tar archive with the tenant's YAML file, its logo (when
/// the file names one from `tenants.d/assets/`), a consistent copy of its database and a manifest; `import`
/// checks all of it before it writes anything, installs the database (as a restore does) and the logo, and writes
/// the YAML file last, so a running server picks the tenant up only once its data is in place.
public enum TenantArchive {
    public typealias Failure = TenantBackups.Failure

    package static let databaseName = "database.sqlite"
    package static let manifestName = "manifest.json"
    package static let yamlName = "tenant.yaml"
    package static let logoFolder = "logo/"

    /// Writes the archive of `tenant` to `destination` and returns its manifest.
    public static func export(
        _ tenant: TenantID,
        tenantsFolder: String,
        dataFolder: String,
        assetsFolder: String?,
        catalog: FeatureCatalog,
        to destination: String,
        now: Date = Date()
    ) throws(Failure) -> TenantBackups.Manifest {
        let report = TenantCheck.run(tenantsFolder: tenantsFolder, assetsFolder: assetsFolder, catalog: catalog)
        guard let definition = report.definitions[tenant] else {
            let problems = report.problems.filter { $0.tenantID == tenant }.map(\.description)
            throw Failure(
                description: "no valid tenant '\(tenant)' in \(tenantsFolder)" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; "))
            )
        }
        let live = tenant.databasePath(in: dataFolder)
        guard FileManager.default.fileExists(atPath: live) else {
            throw Failure(description: "\(tenant) has no database yet (\(live)); nothing to export")
        }
        let staging = dataFolder + "/.export-" + tenant.rawValue
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let backup = try TenantBackups(folder: staging).make(tenant, databasePath: live, now: now)
            let manifestPath = staging + "/" + manifestName
            try FileSync.write(JSON.encode(backup.manifest), to: manifestPath)
            var files = [(name: manifestName, path: manifestPath), (yamlName, TenantFiles.yaml(tenant, in: tenantsFolder))]
            if let logo = definition.branding.logoPath, logo.hasPrefix(tenantsFolder + "/assets/") {
                files.append((logoFolder + (logo as NSString).lastPathComponent, logo))
            }
            files.append((databaseName, backup.path))
            let temporary = destination + ".partial"
            try TarFile.write(files, to: temporary)
            try FileSync.rename(temporary, to: destination)
            return backup.manifest
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "export of \(tenant) failed: \(error)")
        }
    }

    public struct Imported: Sendable {
        public var tenant: TenantID
        public var manifest: TenantBackups.Manifest
        public var replacedDatabase: String?
    }

    /// Installs the tenant in `archive`; refuses one that exists (YAML file or database) unless `replace`.
    public static func `import`(
        _ archive: String,
        tenantsFolder: String,
        dataFolder: String,
        assetsFolder: String?,
        catalog: FeatureCatalog,
        replace: Bool
    ) async throws(Failure) -> Imported {
        do {
            let files = try TarFile.read(archive)
            guard let manifestData = files[manifestName], let manifest = try? JSONDecoder().decode(TenantBackups.Manifest.self, from: manifestData),
                let tenant = TenantID(manifest.tenant), let yaml = files[yamlName], let database = files[databaseName]
            else {
                throw Failure(description: "\(archive) is not a ClinicBox tenant export (it needs \(manifestName), \(yamlName) and \(databaseName))")
            }

            let yamlPath = TenantFiles.yaml(tenant, in: tenantsFolder)
            let databasePath = tenant.databasePath(in: dataFolder)
            let existing = [yamlPath, databasePath].filter { FileManager.default.fileExists(atPath: $0) }
            guard existing.isEmpty || replace else {
                throw Failure(
                    description:
                        "tenant '\(tenant)' already exists here (\(existing.joined(separator: ", "))); add --replace to overwrite it (its database is kept beside the new one)"
                )
            }

            // Everything is checked in a staging folder first: the YAML as the server would read it, the database.
            let staging = dataFolder + "/.import-" + tenant.rawValue
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: TenantFiles.assets(in: staging), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let logos = files.filter { $0.key.hasPrefix(logoFolder) && !$0.key.dropFirst(logoFolder.count).contains("/") }
            // Logos share tenants.d/assets/: never overwrite another tenant's file of the same name.
            for (name, data) in logos where !replace {
                let path = tenantsFolder + "/assets/" + name.dropFirst(logoFolder.count)
                if let present = FileManager.default.contents(atPath: path), present != data {
                    throw Failure(
                        description: "\(path) already exists with other content (another tenant's logo?); rename one of them, or add --replace"
                    )
                }
            }
            for (name, data) in logos { try data.write(to: URL(fileURLWithPath: staging + "/assets/" + name.dropFirst(logoFolder.count))) }
            let parser = TenantFileParser(
                logoFolder: TenantFiles.assets(in: staging),
                assets: AssetStore(overrideFolder: assetsFolder),
                features: catalog
            )
            let definition: TenantDefinition
            switch parser.parse(String(decoding: yaml, as: UTF8.self), fileID: tenant.rawValue, displayPath: "\(archive):\(yamlName)") {
            case .valid(let valid): definition = valid
            case .invalid(let problems): throw Failure(description: problems.map(\.description).joined(separator: "\n"))
            }
            let stagedDatabase = staging + "/" + databaseName
            try database.write(to: URL(fileURLWithPath: stagedDatabase))
            guard try DatabaseCopy.checksum(stagedDatabase) == manifest.sha256 else {
                throw Failure(description: "\(archive): the database does not match the checksum in its manifest; the archive is damaged")
            }

            let restored = try await TenantRestore.run(
                stagedDatabase,
                tenant: tenant,
                dataFolder: dataFolder,
                schema: TenantSchema.forTenant(definition, catalog: catalog)
            )
            if !logos.isEmpty {
                try FileManager.default.createDirectory(atPath: TenantFiles.assets(in: tenantsFolder), withIntermediateDirectories: true)
            }
            for (name, data) in logos { try FileSync.write(data, to: tenantsFolder + "/assets/" + name.dropFirst(logoFolder.count)) }
            try FileSync.write(yaml, to: yamlPath)
            return Imported(tenant: tenant, manifest: manifest, replacedDatabase: restored.keptAs)
        } catch let error as Failure {
            throw error
        } catch let error as TarFile.Failure {
            throw Failure(description: error.description)
        } catch {
            throw Failure(description: "import of \(archive) failed: \(error)")
        }
    }
}
