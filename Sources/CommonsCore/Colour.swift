import Foundation

/// An sRGB colour as a site setting holds it (`#8a1c1c`), with WCAG 2.1's contrast arithmetic.
public struct Colour: Sendable, Equatable, CustomStringConvertible {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public static let white = Colour(red: 255, green: 255, blue: 255)
    public static let black = Colour(red: 0, green: 0, blue: 0)

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb` or `#rgb`, any case, surrounding spaces ignored; nil for anything else
    /// (names, `rgb()`, alpha), so what reaches a stylesheet is six hex digits and nothing more.
    public init?(hex text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#") else { return nil }
        var digits = Array(trimmed.utf8.dropFirst())
        guard digits.count == 3 || digits.count == 6, digits.allSatisfy({ Self.hexValue($0) != nil }) else { return nil }
        if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
        func byte(_ index: Int) -> UInt8 { Self.hexValue(digits[index])! << 4 | Self.hexValue(digits[index + 1])! }
        self.init(red: byte(0), green: byte(2), blue: byte(4))
    }

    /// `#8a1c1c`.
    public var description: String {
        "#" + [red, green, blue].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// Relative luminance, WCAG 2.1 §1.4.3.
    public var luminance: Double {
        func channel(_ value: UInt8) -> Double {
            let c = Double(value) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }

    /// The contrast ratio with another colour, from 1 to 21.
    public func contrast(with other: Colour) -> Double {
        let (a, b) = (luminance, other.luminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// This colour moved toward `target` by `fraction` (0 to 1).
    public func mixed(with target: Colour, _ fraction: Double) -> Colour {
        func blend(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * fraction).rounded()) }
        return Colour(red: blend(red, target.red), green: blend(green, target.green), blue: blend(blue, target.blue))
    }

    /// The nearest tint of this colour toward `target` that reaches `ratio` against `background`
    /// (the accent as text on a dark page); `target` itself when no tint does.
    public func tint(toward target: Colour, reaching ratio: Double, on background: Colour) -> Colour {
        for step in 0...20 {
            let candidate = mixed(with: target, Double(step) / 20)
            if candidate.contrast(with: background) >= ratio { return candidate }
        }
        return target
    }

    /// The ratio as people quote it: "3.2:1", rounded down so a shown 4.5 is never really 4.49.
    public static func ratioText(_ ratio: Double) -> String {
        String(format: "%.1f:1", (ratio * 10).rounded(.down) / 10)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }
}
