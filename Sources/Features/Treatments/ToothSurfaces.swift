import ClinicBoxCore
import Patients

/// The surfaces of a tooth a treatment covers, as dentists write them: `MOD` is mesial, occlusal and distal.
/// Stored in one order (M, O, D, B, L) so `DOM` and `mod` are the same value; front teeth's incisal edge (I) is
/// kept as O, facial (F) as B and palatal (P) as L, the same five places on the chart.
package enum ToothSurfaces {
    package static let order: [Character] = ["M", "O", "D", "B", "L"]
    package static let rule = "letters of M, O (or I), D, B (or F) and L (or P), e.g. MOD"

    /// `mod`, `D,O`, `B F` → `MOD`, `DO` → `OD`…; nil when a letter is not a surface or is given twice.
    package static func normalized(_ text: String) -> String? {
        var found = Set<Character>()
        for character in text.uppercased() where !" ,/".contains(character) {
            let surface: Character
            switch character {
            case "I": surface = "O"
            case "F": surface = "B"
            case "P": surface = "L"
            default: surface = character
            }
            guard order.contains(surface), found.insert(surface).inserted else { return nil }
        }
        return found.isEmpty ? nil : String(order.filter(found.contains))
    }

    /// The surfaces in words, for a chart's reader: `MOD` → "mesial, occlusal, distal".
    package static func words(_ surfaces: String) -> String {
        surfaces.map { surface in
            switch surface {
            case "M": "mesial"
            case "O": "occlusal"
            case "D": "distal"
            case "B": "buccal"
            default: "lingual"
            }
        }.joined(separator: ", ")
    }
}
