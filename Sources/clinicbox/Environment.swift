import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation

/// Options fall back to `CLINICBOX_*` environment variables, then to their defaults.
enum Environment {
    /// The feature modules every command works with: the server's own (`AppConfiguration.catalog`).
    static let catalog = AppConfiguration().catalog

    static func value(_ option: String?, _ variable: String, default fallback: String) -> String {
        option ?? ProcessInfo.processInfo.environment[variable] ?? fallback
    }

    static func optional(_ option: String?, _ variable: String) -> String? {
        option ?? ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func integer(_ option: Int?, _ variable: String, default fallback: Int) throws -> Int {
        if let option { return option }
        guard let text = ProcessInfo.processInfo.environment[variable] else { return fallback }
        guard let value = Int(text) else { throw ValidationError("\(variable)='\(text)' is not a whole number") }
        return value
    }
}
