import Foundation
import Mustache
import Synchronization

/// The Mustache templates under `templates/` of the assets, parsed once at start and again on `SIGHUP` (never
/// per request). A template named `patients/list` is the file `templates/patients/list.mustache`.
public final class PageRenderer: Sendable {
    public struct TemplateProblem: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    package let assets: AssetStore
    private let library: Mutex<MustacheLibrary>
    private let reloads = Atomic<Int>(0)

    public init(assets: AssetStore) throws(TemplateProblem) {
        self.assets = assets
        self.library = Mutex(try Self.load(assets))
    }

    /// Parses every template again; on a problem the templates in use stay as they were.
    public func reload() throws(TemplateProblem) {
        let fresh = try Self.load(assets)
        library.withLock { $0 = fresh }
        reloads.add(1, ordering: .releasing)
    }

    /// Changes with every reload, so HTML rendered from older templates is not reused.
    package var generation: Int { reloads.load(ordering: .acquiring) }

    /// Whether the template `name` (`patients/list`) exists, for the check at start-up.
    package func has(_ name: String) -> Bool { library.withLock { $0.getTemplate(named: name) != nil } }

    /// Renders `template` with `object`; a missing template is a programming error caught by the page tests.
    package func render(_ template: String, _ object: Any) -> String {
        let library = self.library.withLock { $0 }
        guard let html = library.render(object, withTemplate: template) else {
            preconditionFailure("no template '\(template)' in \(assets.description)")
        }
        return html
    }

    private static func load(_ assets: AssetStore) throws(TemplateProblem) -> MustacheLibrary {
        MustacheContentTypes.register(FastHTMLEscaping(), named: FastHTMLEscaping.name)
        var library = MustacheLibrary()
        for path in assets.paths(under: "templates/", endingIn: ".mustache") {
            let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
            guard let data = assets.contents(path), let text = String(validating: data, as: UTF8.self) else {
                throw TemplateProblem(file: path, line: 1, column: 1, message: "cannot be read as UTF-8 text")
            }
            do {
                // The pragma is on a line of its own before the template's first line, so line numbers in errors
                // are one too high; `TemplateProblem` corrects them.
                library.register(try MustacheTemplate(string: FastHTMLEscaping.pragma + "\n" + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                let context = error.context
                throw TemplateProblem(file: path, line: max(1, context.lineNumber - 1), column: context.columnNumber, message: "\(error.error)")
            } catch {
                throw TemplateProblem(file: path, line: 1, column: 1, message: "\(error)")
            }
        }
        return library
    }
}
