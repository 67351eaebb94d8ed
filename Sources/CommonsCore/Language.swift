/// A language the site is served in.
public struct Language: Hashable, Sendable {
    /// The code in URL prefixes, catalog file names and `preferred_language`: `en`, `es`, `zh`.
    public let code: String
    /// The BCP 47 tag for `lang` and `hreflang` attributes: `zh-Hans` for Simplified Chinese.
    public let tag: String
    /// The locale used to format dates and numbers.
    public let localeIdentifier: String
    public let isRightToLeft: Bool

    public static let english = Language(code: "en", tag: "en", localeIdentifier: "en_US", isRightToLeft: false)

    /// English and the twelve most common other home languages of New York City's public
    /// school families, in the order the language switcher lists them. A language is served
    /// when its catalog (`Resources/Locales/CODE.json`) is present.
    public static let known: [Language] = [
        .english,
        Language(code: "es", tag: "es", localeIdentifier: "es_US", isRightToLeft: false),
        Language(code: "zh", tag: "zh-Hans", localeIdentifier: "zh_Hans_CN", isRightToLeft: false),
        Language(code: "bn", tag: "bn", localeIdentifier: "bn_BD", isRightToLeft: false),
        Language(code: "ru", tag: "ru", localeIdentifier: "ru_RU", isRightToLeft: false),
        Language(code: "ht", tag: "ht", localeIdentifier: "ht_HT", isRightToLeft: false),
        Language(code: "ko", tag: "ko", localeIdentifier: "ko_KR", isRightToLeft: false),
        Language(code: "ar", tag: "ar", localeIdentifier: "ar", isRightToLeft: true),
        Language(code: "fr", tag: "fr", localeIdentifier: "fr_FR", isRightToLeft: false),
        Language(code: "ur", tag: "ur", localeIdentifier: "ur_PK", isRightToLeft: true),
        Language(code: "sq", tag: "sq", localeIdentifier: "sq_AL", isRightToLeft: false),
        Language(code: "uk", tag: "uk", localeIdentifier: "uk_UA", isRightToLeft: false),
        Language(code: "uz", tag: "uz-Latn", localeIdentifier: "uz_Latn_UZ", isRightToLeft: false),
    ]

    public static func known(code: String) -> Language? { known.first { $0.code == code } }

    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    /// The prefix of this language's URLs: "" for English, "/es" for Spanish.
    public var pathPrefix: String { self == .english ? "" : "/\(code)" }

    /// The language named by a path's first segment, and the path without it:
    /// `/es/news` → (Spanish, `/news`), `/es` → (Spanish, `/`). English paths have no prefix.
    public static func split(path: String, served: [Language]) -> (language: Language, path: String)? {
        guard path.count >= 3, path.hasPrefix("/") else { return nil }
        let afterSlash = path.dropFirst()
        let segment = afterSlash.prefix { $0 != "/" }
        guard segment.count == 2, let language = served.first(where: { $0.code == segment && $0 != .english }) else { return nil }
        let rest = afterSlash.dropFirst(segment.count)
        return (language, rest.isEmpty ? "/" : String(rest))
    }

    /// The served language a browser asks for first in `Accept-Language`, if any.
    public static func preferred(acceptLanguage header: String?, served: [Language]) -> Language? {
        guard let header else { return nil }
        var choices: [(language: Language, quality: Double, order: Int)] = []
        // A browser lists a handful; a header of thousands is read no further than this.
        for (order, item) in header.split(separator: ",", maxSplits: 64).prefix(64).enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased(), !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            // q is 0 to 1 (RFC 9110 12.4.2); NaN or infinity would upset the ordering below.
            guard quality.isFinite, quality > 0 else { continue }
            quality = min(quality, 1)
            let primary = String(range.prefix { $0 != "-" })
            // Chinese written in traditional characters is not what the Simplified catalog serves.
            if primary == "zh", range.contains("hant") || range.hasSuffix("-tw") || range.hasSuffix("-hk") { continue }
            if let language = served.first(where: { $0.code == primary }) { choices.append((language, quality, order)) }
        }
        return choices.sorted { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }.first?.language
    }
}
