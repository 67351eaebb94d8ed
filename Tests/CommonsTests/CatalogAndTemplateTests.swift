import Foundation
import Testing

@testable import CommonsWeb

/// Checks over the shipped templates and string catalogs, read from the source tree.
@Suite("Catalogs and templates")
struct CatalogAndTemplateTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")
    static let resources = sources.appendingPathComponent("CommonsWeb/Resources")

    static func files(under folder: URL, ending suffix: String) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { $0.path.hasSuffix(suffix) }.sorted { $0.path < $1.path }
    }

    static func english() throws -> StringCatalog {
        try StringCatalog(languageCode: "en", json: Data(contentsOf: resources.appendingPathComponent("Locales/en.json")))
    }

    @Test func test_only_these_templates_place_unescaped_html_and_only_from_our_markdown_renderer() throws {
        var found: [String: Set<String>] = [:]
        for file in try Self.files(under: Self.resources.appendingPathComponent("Templates"), ending: ".mustache") {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = Substring(text)
            while let open = rest.range(of: "{{{") {
                let close = rest[open.upperBound...].range(of: "}}}")!
                found[file.lastPathComponent, default: []].insert(String(rest[open.upperBound..<close.lowerBound]))
                rest = rest[close.upperBound...]
            }
        }
        // Each of these fields is filled by MarkdownRenderer.html(from:) or HTMLSanitizer (through
        // BodyFormat) in its page model, but search's, which SearchPage.markedHTML escapes before adding <mark>.
        #expect(
            found == [
                "home.mustache": ["html", "bodyHTML"],
                "post-show.mustache": ["bodyHTML"],
                "member-show.mustache": ["descriptionHTML"],
                // QRCode.svg: numbers and an escaped label only.
                "two-factor.mustache": ["qrCode"],
                "page-show.mustache": ["bodyHTML"],
                // ChartSVG: numbers, and text through its XML escaping only.
                "dataset-show.mustache": ["chartSVG"],
                // Sparkline.svg: numbers, and a label through its XML escaping only.
                "dashboard.mustache": ["sparkline"],
                "campaign-show.mustache": ["descriptionHTML"],
                "search.mustache": ["titleHTML", "snippetHTML"],
                "event-show.mustache": ["descriptionHTML"],
                "post-editor.mustache": ["previewHTML"],
                "form.mustache": ["previewHTML"],
            ]
        )
    }

    @Test func test_every_string_a_template_uses_is_in_the_english_catalog() throws {
        let catalog = try Self.english()
        var used: Set<String> = []
        for file in try Self.files(under: Self.resources.appendingPathComponent("Templates"), ending: ".mustache") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for marker in ["{{layout.t.", "{{t."] {
                var rest = Substring(text)
                while let open = rest.range(of: marker) {
                    let key = rest[open.upperBound...].prefix { $0 != "}" }
                    used.insert(String(key))
                    rest = rest[open.upperBound...]
                }
            }
        }
        #expect(!used.isEmpty)
        for key in used {
            #expect(catalog.strings[key] != nil, "template uses \(key), missing from en.json")
        }
    }

    @Test func test_every_string_key_in_the_code_is_in_the_english_catalog() throws {
        let catalog = try Self.english()
        let prefixes = ["site.", "nav.", "home.", "news.", "documents.", "data.", "campaign.", "page.", "size.", "error."]
        var keys: Set<String> = []
        for file in try Self.files(under: Self.sources, ending: ".swift") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for literal in text.split(separator: "\"").enumerated() where literal.offset % 2 == 1 {
                let value = String(literal.element)
                // Two values that only look like keys: an audit action and the data key's file name.
                if prefixes.contains(where: value.hasPrefix), !["site.css", "data.moved_to_postgres", "data.key"].contains(value),
                    value.allSatisfy({ $0.isLowercase || $0 == "." || $0 == "_" || $0.isNumber })
                {
                    keys.insert(value)
                }
            }
        }
        #expect(keys.contains("error.title_required"))
        for key in keys {
            #expect(catalog.strings[key] != nil, "code uses \(key), missing from en.json")
        }
    }

    @Test func test_every_catalog_has_every_english_key_and_no_foreign_placeholders() throws {
        let english = try Self.english()
        for file in try Self.files(under: Self.resources.appendingPathComponent("Locales"), ending: ".json") {
            let code = file.deletingPathExtension().lastPathComponent
            let catalog = try StringCatalog(languageCode: code, json: Data(contentsOf: file))
            for (key, text) in english.strings {
                let translated = try #require(catalog.strings[key], "\(code) lacks \(key)")
                #expect(StringCatalog.placeholders(in: translated).isSubset(of: StringCatalog.placeholders(in: text)), "\(code): \(key)")
            }
        }
    }

    @Test func test_format_fills_placeholders() throws {
        let catalog = try Self.english()
        #expect(catalog.format("news.page_of", ["page": "2", "count": "7"]) == "Page 2 of 7")
        #expect(catalog["no.such.key"] == "no.such.key")
    }
}
