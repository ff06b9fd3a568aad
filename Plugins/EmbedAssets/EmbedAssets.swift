import Foundation
import PackagePlugin

/// Compiles every file under the package's `Assets/` folder into the library (templates, CSS, default logos), so the
/// release binary alone is a complete ClinicBox.
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let assets = context.package.directoryURL.appending(path: "Assets")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding Assets/ into \(target.name)",
                executable: try context.tool(named: "AssetEmbedder").url,
                arguments: [assets.path, output.path],
                inputFiles: files(under: assets),
                outputFiles: [output]
            )
        ]
    }

    /// Every file and folder under `folder`. The folders matter: SwiftPM asks this plugin again only when the
    /// package's own structure changes, so a file added to `Assets/` is noticed through its folder's change time.
    private func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [folder] }
        return [folder] + walker.compactMap { $0 as? URL }
    }
}
