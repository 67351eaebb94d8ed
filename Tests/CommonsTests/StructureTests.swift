import Foundation
import Testing

/// The package's walls, read from the sources themselves: the domain never speaks HTTP, and
/// the concerns know their place.
@Suite("Structure")
struct StructureTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Modules of the coalition's world, and what none of them may import.
    static let domainModules = [
        "CommonsCore", "CommonsStorage", "CommonsPrivacy", "CommonsAudit", "CommonsAccounts", "CommonsContent", "CommonsOrganizing",
        "CommonsDemo", "CommonsImport", "CommonsPartners",
    ]
    static let httpModules = ["CommonsWeb", "Hummingbird", "HummingbirdCore", "HTTPTypes", "NIOHTTP1", "NIOHTTPTypes", "Mustache", "MultipartKit"]

    @Test func test_no_domain_module_imports_the_http_layer() throws {
        var checked = 0
        for module in Self.domainModules {
            let folder = Self.sources.appendingPathComponent(module)
            let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
            for file in files where file.pathExtension == "swift" {
                let imports = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("import ") }
                    .map { $0.dropFirst("import ".count).trimmingCharacters(in: .whitespaces) }
                for name in imports { #expect(!Self.httpModules.contains(name), "\(module)/\(file.lastPathComponent) imports \(name)") }
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    /// The web layer is filed by concern, as the domain is: besides the chassis (`Site`) and the
    /// templates, strings and assets (`Resources`), each folder of `CommonsWeb` is the web side of
    /// a domain module (`Content` of `CommonsContent`), every Swift file sits in one, and none
    /// grows past about 200 lines.
    @Test func test_every_web_folder_is_a_domain_concern_and_no_web_file_is_long() throws {
        let web = Self.sources.appendingPathComponent("CommonsWeb")
        let entries = try FileManager.default.contentsOfDirectory(atPath: web.path).filter { !$0.hasPrefix(".") }
        var folders: [String] = []
        for entry in entries {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: web.appendingPathComponent(entry).path, isDirectory: &isFolder)
            #expect(isFolder.boolValue, "CommonsWeb/\(entry) is not in a concern's folder")
            if isFolder.boolValue { folders.append(entry) }
        }
        #expect(Set(folders).isSuperset(of: ["Site", "Resources", "Content", "Organizing", "Accounts"]))
        for folder in folders where !["Site", "Resources"].contains(folder) {
            #expect(
                FileManager.default.fileExists(atPath: Self.sources.appendingPathComponent("Commons\(folder)").path),
                "CommonsWeb/\(folder) has no domain module Commons\(folder)"
            )
        }
        let files = try #require(FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
        var checked = 0
        for file in files where file.pathExtension == "swift" {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 220, "\(file.lastPathComponent) has \(lines) lines")
            checked += 1
        }
        #expect(checked > 60)
    }

    /// One list of languages: the catalogs shipped are exactly the languages the site knows.
    @Test func test_every_known_language_has_a_catalog_and_no_catalog_is_unknown() throws {
        let folder = Self.sources.appendingPathComponent("CommonsWeb/Resources/Locales")
        let catalogs = Set(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        )
        let known = try String(contentsOf: Self.sources.appendingPathComponent("CommonsCore/Language.swift"), encoding: .utf8)
        let codes = Set(known.matches(of: #/Language\(code: "([a-z]+)"/#).map { String($0.output.1) })
        #expect(codes == catalogs)
    }
}
