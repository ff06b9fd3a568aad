/// The name of a medicine, a substance or a product, as the allergy check compares it. Two things defeat a word
/// match while looking right on screen: invisible characters (`Amoxi\u{200B}cillin`, a zero-width space) and
/// letters of another script that look the same (`Amоxicillin` with a Cyrillic о). Such a name is refused where it
/// is typed, and the check folds what is already stored the way Unicode TR39 (Security Mechanisms, §4
/// "Confusable Detection", https://www.unicode.org/reports/tr39/) builds a skeleton: the look-alikes below map to
/// the Latin letter they imitate, so an old record written that way still matches.
package enum SubstanceName {
    /// Why `name` cannot be a medicine's or substance's name, or nil when it can.
    package static func problem(_ name: String) -> String? {
        if name.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            return "must not contain tabs, line breaks or invisible characters"
        }
        for word in name.split(whereSeparator: { !$0.isLetter }) {
            let scripts = Set(word.unicodeScalars.compactMap(script))
            if scripts.count > 1 {
                return "mixes \(scripts.sorted().joined(separator: " and ")) letters in “\(word)”: type it again in one alphabet"
            }
        }
        return nil
    }

    /// `text` with invisible characters removed and look-alike letters replaced by the Latin ones they imitate.
    package static func skeleton(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar.properties.generalCategory != .format {
            folded.append(lookAlikes[scalar] ?? scalar)
        }
        return String(folded)
    }

    /// The script of a letter among those whose letters imitate one another; nil for any other character.
    private static func script(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: "Latin"
        case 0x370...0x3FF, 0x1F00...0x1FFF: "Greek"
        case 0x400...0x52F: "Cyrillic"
        default: nil
        }
    }

    /// Cyrillic and Greek letters that TR39's confusables.txt maps to a Latin letter, in both cases.
    private static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            ("аАВеЕһНіІјЈКМоОрРсСѕЅТуүхХԁԛԝӏ", "aABeEhHiIjJKMoOpPcCsSTyyxXdqwl"),
            ("αΑΒεΕΖηΗιΙκΚΜνΝοΟρΡτΤυΥχΧ", "aABeEZnHiIkKMvNoOpPtTuYxX"),
        ]
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { map[a] = b }
        }
        return map
    }()
}
