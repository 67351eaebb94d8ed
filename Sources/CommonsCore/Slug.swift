import Foundation

/// The last part of a public address, such as `sanctuary-schools` in `/campaigns/sanctuary-schools`.
public struct Slug: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let value: String

    /// The longest slug accepted; longer titles are cut at a word boundary.
    public static let maximumLength = 120

    /// Accepts a slug as typed by an editor or found in a URL; nil when it is not a valid slug.
    public init?(_ value: String) {
        guard Slug.isValid(value) else { return nil }
        self.value = value
    }

    /// Makes a slug from a title: lowercase ASCII letters and digits joined by single hyphens.
    /// Accents are dropped ("Educación" → "educacion"); scripts without a Latin form are
    /// transliterated where the system can, and a title with nothing usable gives nil.
    public static func from(title: String) -> Slug? {
        let latin = title.applyingTransform(.toLatin, reverse: false) ?? title
        let folded = latin.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var result = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            let isLetterOrDigit = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if isLetterOrDigit {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "’" {
                continue  // "What's New" → "whats-new", as WordPress does
            } else {
                pendingHyphen = true
            }
        }
        if result.count > maximumLength {
            let cut = result.prefix(maximumLength)
            result = String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut)
        }
        return Slug(result)
    }

    public static func isValid(_ value: String) -> Bool {
        guard !value.isEmpty, value.count <= maximumLength else { return false }
        guard value.first != "-", value.last != "-", !value.contains("--") else { return false }
        return value.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    public var description: String { value }

    public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.value < rhs.value }
}

extension Slug {
    /// The slug for something an editor is saving: the one they typed when valid, else one made
    /// from the title. Problems go into `errors` under the field `slug`; the result is then "".
    public static func resolve(typed: String?, title: String, errors: inout ValidationErrors) -> String {
        if let typed = typed?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
            if Slug.isValid(typed) { return typed }
            errors.add(field: "slug", message: "error.slug_invalid")
            return ""
        }
        if let made = Slug.from(title: title) { return made.value }
        if !title.trimmingCharacters(in: .whitespaces).isEmpty { errors.add(field: "slug", message: "error.slug_required") }
        return ""
    }
}

/// The title and address every published item has (post, page, document, campaign, event),
/// checked the same way everywhere.
public enum TitleAndSlug {
    public static let titleLimit = 200

    /// The trimmed title and the slug to use; problems go into `errors`. `isTaken` says
    /// whether another item already uses a slug.
    public static func check(
        title raw: String,
        slug typed: String?,
        errors: inout ValidationErrors,
        isTaken: (String) async throws -> Bool
    ) async throws -> (title: String, slug: String) {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add(field: "title", message: "error.title_required") }
        if title.count > titleLimit { errors.add(field: "title", message: "error.title_too_long") }
        let slug = Slug.resolve(typed: typed, title: title, errors: &errors)
        if !slug.isEmpty, try await isTaken(slug) { errors.add(field: "slug", message: "error.slug_taken") }
        return (title, slug)
    }
}
