import Foundation

/// A tenant's brand colours as CSS, with a text colour chosen for each so text on them meets WCAG AA (4.5:1).
package struct BrandColors: Equatable, Sendable {
    package var primary: String
    package var accent: String

    /// Near-black or white, whichever contrasts more with `hex` (`#RRGGBB`). One of the two always reaches
    /// 4.5:1 against any colour.
    package static func readableText(on hex: String) -> String {
        let background = relativeLuminance(hex)
        let dark = "#111418"
        let light = "#FFFFFF"
        return contrast(background, relativeLuminance(dark)) >= contrast(background, relativeLuminance(light)) ? dark : light
    }

    /// The keyboard focus ring on `hex` (the header's background): the pages' blue ring where it stands out at
    /// 3:1 (WCAG 2.4.7, 1.4.11), else the readable text colour, which always does.
    package static func focusRing(on hex: String) -> String {
        let ring = "#0B57D0"
        return contrast(relativeLuminance(hex), relativeLuminance(ring)) >= 3 ? ring : readableText(on: hex)
    }

    /// WCAG 2.x contrast ratio of two relative luminances, 1…21.
    package static func contrast(_ a: Double, _ b: Double) -> Double {
        (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    package static func relativeLuminance(_ hex: String) -> Double {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return 0 }
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /// The per-tenant stylesheet: custom properties the shared stylesheet uses.
    package var css: String {
        """
        :root{--primary:\(primary);--on-primary:\(Self.readableText(on: primary));--accent:\(accent);--on-accent:\(Self.readableText(on: accent));--focus-on-primary:\(Self.focusRing(on: primary))}

        """
    }
}
