import CommonsCore
import Foundation

/// The interface text of one language, read from `Resources/Locales/CODE.json`.
///
/// A catalog file holds nested objects of strings (`{"nav": {"news": "News"}}`), looked up
/// with dotted keys (`nav.news`) in code and as `{{t.nav.news}}` in templates. Values may
/// carry `{name}` placeholders, filled by `format`. `drafts` lists the keys whose translation
/// still awaits a native speaker's review.
public struct StringCatalog: Sendable {
    public let languageCode: String
    /// Dotted key → text.
    public let strings: [String: String]
    /// The same strings nested, as templates read them.
    public let tree: [String: any Sendable]
    public let drafts: Set<String>
    /// Arabic and Urdu: values put into sentences are isolated (see `format`).
    public let isRightToLeft: Bool

    public init(languageCode: String, json: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any],
            let strings = root["strings"] as? [String: Any]
        else {
            throw CatalogError(language: languageCode, reason: "expected an object with a \"strings\" object")
        }
        var flat: [String: String] = [:]
        func walk(_ node: [String: Any], prefix: String) throws -> [String: any Sendable] {
            var tree: [String: any Sendable] = [:]
            for (key, value) in node {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let text = value as? String {
                    flat[path] = text
                    tree[key] = text
                } else if let child = value as? [String: Any] {
                    tree[key] = try walk(child, prefix: path)
                } else {
                    throw CatalogError(language: languageCode, reason: "\(path) is neither text nor a group")
                }
            }
            return tree
        }
        self.tree = try walk(strings, prefix: "")
        self.strings = flat
        self.languageCode = languageCode
        self.drafts = Set(root["drafts"] as? [String] ?? [])
        self.isRightToLeft = Language.known(code: languageCode)?.isRightToLeft ?? false
    }

    /// The text for a key; the key itself when missing, so a gap shows rather than breaks a page.
    public subscript(key: String) -> String {
        strings[key] ?? key
    }

    /// The text for a key with its `{name}` placeholders filled, in one pass (a value that
    /// itself holds `{name}` stays as it is). In a right-to-left language each value is wrapped
    /// in Unicode's first-strong isolate (U+2068 … U+2069, what `<bdi>` does in markup), so an
    /// English title in an Arabic sentence keeps its own direction, in page titles too.
    public func format(_ key: String, _ values: [String: String]) -> String {
        let template = self[key]
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] else {
                result.append("{")
                rest = after
                continue
            }
            result += isRightToLeft ? "\u{2068}\(value)\u{2069}" : value
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }

    /// The placeholder names a text uses, for the completeness test.
    public static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var current: String?
        for character in text {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                names.insert(name)
                current = nil
            } else if current != nil {
                current?.append(character)
            }
        }
        return names
    }
}

public struct CatalogError: Error, CustomStringConvertible {
    public let language: String
    public let reason: String
    public var description: String { "The string catalog for \(language) cannot be read: \(reason)." }
}

/// Every language's catalog, loaded once at start-up.
public struct StringCatalogs: Sendable {
    public let catalogs: [String: StringCatalog]

    public init(directory: URL) throws {
        var catalogs: [String: StringCatalog] = [:]
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "json" {
            let code = file.deletingPathExtension().lastPathComponent
            catalogs[code] = try StringCatalog(languageCode: code, json: Data(contentsOf: file))
        }
        guard catalogs["en"] != nil else { throw CatalogError(language: "en", reason: "en.json is missing from \(directory.path)") }
        self.catalogs = catalogs
    }

    /// The catalogs shipped with the application.
    public static func bundled() throws -> StringCatalogs {
        try StringCatalogs(directory: Bundle.module.bundleURL.appendingPathComponent("Resources/Locales"))
    }

    public subscript(code: String) -> StringCatalog? { catalogs[code] }

    public subscript(language: Language) -> StringCatalog {
        catalogs[language.code] ?? catalogs["en"]!
    }
}
