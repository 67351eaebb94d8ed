import CommonsContent
import CommonsCore
import Foundation
import Testing

@testable import CommonsDemo
@testable import CommonsWeb

@Suite("Slugs")
struct SlugTests {
    @Test(arguments: [
        ("CEJ Calls For “Sanctuary Schools”", "cej-calls-for-sanctuary-schools"), ("What's New", "whats-new"),
        ("Educación para todos", "educacion-para-todos"), ("  --Hello,   World--  ", "hello-world"),
        ("12/8/16 CEJ Press Release", "12-8-16-cej-press-release"),
    ])
    func test_slug_from_title(title: String, slug: String) {
        #expect(Slug.from(title: title)?.value == slug)
    }

    @Test func test_slug_from_title_without_letters_is_nil() {
        #expect(Slug.from(title: "!!!") == nil)
    }

    @Test(arguments: ["a", "sanctuary-schools", "12-8-16"])
    func test_valid_slugs(value: String) { #expect(Slug.isValid(value)) }

    @Test(arguments: ["", "-a", "a-", "a--b", "A", "a b", "a/b", "ä", String(repeating: "a", count: 121)])
    func test_invalid_slugs(value: String) { #expect(!Slug.isValid(value)) }
}

@Suite("Hex and constant-time comparison")
struct HexTests {
    @Test func test_hex_writes_every_byte_as_two_lowercase_digits() {
        let every = (0...255).map { UInt8($0) }
        #expect(Hex.string(every) == every.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.string([UInt8]()) == "")
    }

    @Test func test_constant_time_equal_is_equality() {
        for (a, b) in [("", ""), ("123456", "123456"), ("123456", "123457"), ("abc", "abcd"), ("é", "e\u{301}"), ("token", "Token")] {
            #expect(ConstantTime.equal(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a) \(b)")
        }
    }
}

@Suite("Random ids")
struct RandomIDTests {
    @Test func test_random_uuids_are_version_4_and_all_different() {
        let ids = (0..<2_000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            #expect(Array(text)[14] == "4", "version 4: \(text)")
            #expect("89AB".contains(Array(text)[19]), "RFC 9562 variant: \(text)")
            #expect(UUID(uuidString: text) == id)
        }
        // Every other bit varies: OR-ing and AND-ing them all leaves only the fixed ones.
        let bytes = ids.map { id in withUnsafeBytes(of: id.uuid) { Array($0) } }
        let ored = bytes.reduce([UInt8](repeating: 0, count: 16)) { zip($0, $1).map { $0 | $1 } }
        let anded = bytes.reduce([UInt8](repeating: 0xFF, count: 16)) { zip($0, $1).map { $0 & $1 } }
        #expect(ored == (0..<16).map { $0 == 6 ? 0x4F : $0 == 8 ? 0xBF : 0xFF })
        #expect(anded == (0..<16).map { $0 == 6 ? 0x40 : $0 == 8 ? 0x80 : 0x00 })
    }

    @Test func test_time_ordered_uuids_begin_with_the_millisecond_and_sort_by_it() {
        func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }
        let milliseconds = (0..<500).map { 1_796_551_281_123 + UInt64($0) * 7 / 3 }  // some twice
        let ids = milliseconds.map { UUID.timeOrdered(at: Date(timeIntervalSince1970: Double($0) / 1000)) }.map(bytes)
        #expect(ids.map { $0.prefix(6).reduce(0) { $0 << 8 | UInt64($1) } } == milliseconds)
        for (earlier, later) in zip(ids, ids.dropFirst()) where earlier.prefix(6) != later.prefix(6) {
            #expect(earlier.lexicographicallyPrecedes(later), "a later millisecond sorts later")
        }
        #expect(ids.allSatisfy { $0[6] >> 4 == 7 && $0[8] >> 6 == 2 })
        // A time before 1970, past 48 bits or not a number never traps.
        for odd in [-1.0, 1e300, .infinity, .nan] {
            let id = bytes(UUID.timeOrdered(at: Date(timeIntervalSince1970: odd)))
            #expect(id[6] >> 4 == 7)
            let grouped = bytes(UUID.grouped(at: Date(timeIntervalSince1970: odd)) { _ in 7 })
            #expect(grouped[6] >> 4 == 8)
        }
        var minutes: [UInt64] = []
        let grouped = bytes(
            UUID.grouped(at: Date(timeIntervalSince1970: 120.007)) {
                minutes.append($0)
                return 0xDEAD_BEEF
            }
        )
        #expect(minutes == [2])
        #expect(Array(grouped.prefix(6)) == [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x07])
        #expect(grouped[6] >> 4 == 8 && grouped[8] >> 6 == 2)
    }
}

@Suite("Chunks")
struct ChunkTests {
    @Test func test_chunks_keep_every_element_in_order_and_the_last_may_be_shorter() {
        #expect([Int]().chunked(3).isEmpty)
        #expect([1, 2, 3, 4, 5, 6, 7].chunked(3) == [[1, 2, 3], [4, 5, 6], [7]])
        #expect([1, 2, 3].chunked(3) == [[1, 2, 3]])
        #expect([1, 2].chunked(1_000) == [[1, 2]])
    }
}

@Suite("Route values")
struct RouteValueTests {
    @Test func test_a_path_segment_keeps_slugs_and_encodes_everything_else_as_foundation_does() {
        let allowed = CharacterSet.urlPathAllowed.subtracting(["/"])
        var samples = [
            "cej-calls-for-sanctuary-schools", "2026_report.v2", "", "a/b", "caf\u{E9}", "\u{645}\u{62F}\u{631}\u{633}\u{629}", "100%", "a b",
            "?#[]@!$&'()*+,;=", "..", "~x",
        ]
        let alphabet = Array("abcXYZ019-_.~/%é ?#😀")
        for _ in 0..<500 { samples.append(String((0..<Int.random(in: 0...12)).map { _ in alphabet.randomElement()! })) }
        for sample in samples {
            #expect(sample.pathSegment == sample.addingPercentEncoding(withAllowedCharacters: allowed), "\(sample)")
            #expect(!sample.pathSegment.contains("/"))
        }
    }
}

@Suite("File types")
struct FileTypeTests {
    @Test func test_types_are_recognised_by_their_bytes() {
        #expect(FileType.sniff(Data("%PDF-1.7\n".utf8)) == .pdf)
        #expect(FileType.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])) == .png)
        #expect(FileType.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0])) == .jpeg)
        #expect(FileType.sniff(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
    }

    @Test func test_office_files_are_told_apart_by_their_entries() {
        #expect(FileType.sniff(zip(entries: ["[Content_Types].xml", "word/document.xml"])) == .docx)
        #expect(FileType.sniff(zip(entries: ["[Content_Types].xml", "xl/workbook.xml"])) == .xlsx)
        #expect(FileType.sniff(zip(entries: ["[Content_Types].xml", "ppt/presentation.xml"])) == .pptx)
        #expect(FileType.sniff(zip(entries: ["notes.txt"])) == nil)
    }

    @Test func test_a_file_whose_bytes_lie_about_its_type_is_refused() {
        // An HTML page named like a PDF is still HTML.
        #expect(FileType.sniff(Data("<html><script>alert(1)</script>".utf8)) == nil)
        #expect(FileType.sniff(Data("MZ\u{90}\u{0}".utf8)) == nil)
        #expect(FileType.sniff(Data()) == nil)
    }

    /// A ZIP holding empty stored entries with these names.
    func zip(entries: [String]) -> Data {
        var data = Data()
        for name in entries {
            var header: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            header += [0, 0, 0, 0]  // crc
            header += [0, 0, 0, 0]  // compressed size
            header += [0, 0, 0, 0]  // uncompressed size
            header += [UInt8(name.utf8.count & 0xFF), UInt8(name.utf8.count >> 8), 0, 0]
            data.append(contentsOf: header)
            data.append(contentsOf: Array(name.utf8))
        }
        return data
    }
}

@Suite("Settings")
struct SettingsTests {
    @Test func test_defaults() throws {
        let settings = try Settings.fromEnvironment([:])
        #expect(settings.hostname == "127.0.0.1")
        #expect(settings.port == 8080)
        #expect(settings.dataDirectory == "./data")
        #expect(settings.database == .sqliteFile(inDataDirectory: "./data"))
        #expect(settings.loadDemoContent)
        #expect(settings.baseURL == "http://127.0.0.1:8080")
        #expect(settings.logLevel == .info)
        #expect(settings.apiRateLimit == 600)
        #expect(!settings.webhookAllowLocal)
        #expect(settings.requireTwoFactor == [.admin, .organizer])
    }

    @Test func test_environment_overrides() throws {
        let settings = try Settings.fromEnvironment([
            "HOST": "0.0.0.0", "PORT": "9000", "COMMONS_DATA_DIR": "/srv/commons", "DATABASE_URL": "postgres://u:p@db:5432/commons",
            "COMMONS_BASE_URL": "https://www.nyccej.org/", "COMMONS_DEMO": "0", "LOG_LEVEL": "debug", "COMMONS_API_RATE_LIMIT": "0",
            "COMMONS_WEBHOOK_ALLOW_LOCAL": "1", "COMMONS_REQUIRE_2FA": "admin, organizer,editor",
        ])
        #expect(settings.requireTwoFactor == [.admin, .organizer, .editor])
        #expect(try Settings.fromEnvironment(["COMMONS_REQUIRE_2FA": "none"]).requireTwoFactor.isEmpty)
        #expect(try Settings.fromEnvironment(["COMMONS_REQUIRE_2FA": "admin"]).requireTwoFactor == [.admin])
        #expect(settings.apiRateLimit == 0)
        #expect(settings.webhookAllowLocal)
        #expect(settings.hostname == "0.0.0.0")
        #expect(settings.port == 9000)
        #expect(settings.database == .postgres(url: "postgres://u:p@db:5432/commons"))
        #expect(settings.baseURL == "https://www.nyccej.org")
        #expect(!settings.loadDemoContent)
        #expect(settings.logLevel == .debug)
    }

    @Test(arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("COMMONS_DEMO", "maybe"), ("LOG_LEVEL", "loud"), ("COMMONS_BASE_URL", "www.nyccej.org"),
        ("DATABASE_URL", "mysql://x"), ("COMMONS_API_RATE_LIMIT", "-1"), ("COMMONS_API_RATE_LIMIT", "99999999999999999999"),
        ("COMMONS_REQUIRE_2FA", "admins"), ("COMMONS_REQUIRE_2FA", "admin,,editor"),
    ])
    func test_bad_values_name_the_variable(variable: String, value: String) {
        #expect {
            _ = try Settings.fromEnvironment([variable: value])
        } throws: { error in
            (error as? SettingsError)?.variable == variable
        }
    }

    @Test func test_a_bad_database_url_does_not_echo_its_password() {
        do {
            _ = try Settings.fromEnvironment(["DATABASE_URL": "mysql://user:secret@host/db"])
        } catch {
            #expect(!"\(error)".contains("secret"))
        }
    }
}

@Suite("Placeholder PDF")
struct PlaceholderPDFTests {
    @Test func test_placeholder_pdf_has_a_correct_cross_reference_table() throws {
        let data = PlaceholderPDF.make(title: "Proposal (draft)", lines: ["This file stands in for the proposal."])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.4\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        #expect(text.contains("(Proposal \\(draft\\))"))
        // startxref points at the xref table, and each entry at its object.
        let startxref = try #require(text.range(of: "startxref\n"))
        let offset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let bytes = [UInt8](data)
        #expect(String(decoding: bytes[offset..<offset + 4], as: UTF8.self) == "xref")
        let entries = text[text.range(of: "0000000000 65535 f \n")!.upperBound...].split(separator: "\n").prefix(6)
        for (index, entry) in entries.enumerated() {
            let objectOffset = try #require(Int(entry.prefix(10)))
            #expect(String(decoding: bytes[objectOffset..<objectOffset + 8], as: UTF8.self) == "\(index + 1) 0 obj\n")
        }
    }
}

@Suite("Form fields")
struct FormFieldsTests {
    /// The byte-level decoder answers what Foundation's `removingPercentEncoding` answers (after
    /// `+` to a space), on hand-picked edges and on random strings of the characters that matter;
    /// except that bytes which are not UTF-8 always give nil, where Foundation on Linux sometimes
    /// answers nil and sometimes puts U+FFFD in their place.
    @Test func test_decoding_matches_foundation() {
        func expected(_ text: String) -> String? {
            // `+` replaced scalar by scalar: `replacingOccurrences` misses a `+` carrying a combining mark.
            let spaced = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "+" ? " " : $0 }))
            guard let decoded = spaced.removingPercentEncoding else { return nil }
            return decoded.contains("\u{FFFD}") ? nil : decoded
        }
        let edges = [
            "", "plain", "a+b", "%20", "%2", "%", "%zz", "%e2%9c%93", "%E2%9C%93", "%ff", "%c3", "%c3%a9+%C3%A9", "%00", "100%25",
            "caf%C3%A9", "✓+%2B", "%%41", "%4", "a%2Bb", "%C32z", "b+\u{310}",
        ]
        for text in edges { #expect(FormFields.decode(text[...]) == expected(text), "\(text)") }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("%+aF09zé✓cC3Ee2") + ["+\u{310}"]
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(FormFields.decode(text[...]) == expected(text), "\(text)")
        }
        #expect(
            FormFields.parse("given_name=Ana+Mar%C3%ADa&email=ana%40example.org&bad=%zz&given_name=second") == [
                "given_name": "Ana María", "email": "ana@example.org", "bad": "",
            ]
        )
    }
}
