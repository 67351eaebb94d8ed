/// A language the site is served in.
public struct Language: Hashable, Sendable {
    /// The BCP 47 code used in `lang` attributes and URL prefixes: `en`, `es`, `zh`.
    public let code: String
    /// The locale used to format dates and numbers.
    public let localeIdentifier: String
    public let isRightToLeft: Bool

    public static let english = Language(code: "en", localeIdentifier: "en_US", isRightToLeft: false)

    /// Languages with a catalog, in the order the language switcher lists them.
    public static let all: [Language] = [.english]

    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    /// The prefix of this language's URLs: "" for English, "/es" for Spanish.
    public var pathPrefix: String { self == .english ? "" : "/\(code)" }
}
