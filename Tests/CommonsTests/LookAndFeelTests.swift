import CommonsContent
import CommonsCore
import CommonsImages
import Crypto
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import CommonsWeb

/// How the site looks: pictures resized by libvips and offered in `srcset`, the coalition's
/// colours (checked for contrast) in a generated stylesheet, its logo and link-preview picture.
@Suite("Look and feel")
struct LookAndFeelTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func sha256(_ data: Data) -> String {
        Hex.string(SHA256.hash(data: data))
    }

    /// One chunk of a WebP file (RIFF: a four-letter name, a little-endian size, the data).
    static func webpChunk(_ name: String, in bytes: Data) -> Data? {
        let bytes = [UInt8](bytes)
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            guard offset + 8 + size <= bytes.count else { return nil }
            if String(decoding: bytes[offset..<offset + 4], as: UTF8.self) == name { return Data(bytes[offset + 8..<offset + 8 + size]) }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    static func stylesheet(in html: String) -> String? {
        guard let start = html.range(of: "<link rel=\"stylesheet\" href=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test func test_pictures_are_resized_upright_without_their_metadata_in_webp_and_jpeg() throws {
        // Stored 2000 × 1500 with EXIF "turn 90° clockwise", a camera name and a GPS position.
        let photo = try Self.fixture("photo-exif.jpg")
        #expect(photo.range(of: Data("CommonsTestCamera".utf8)) != nil)
        let copies = try ImageResizer.resize(photo)
        // Upright it is 1,500 wide: the widths below it, then its own; never enlarged to 1,600.
        #expect(copies.map(\.width) == [480, 480, 960, 960, 1500, 1500])
        #expect(copies.map(\.format) == [.webp, .jpeg, .webp, .jpeg, .webp, .jpeg])
        for copy in copies {
            // Upright: taller than wide, 3 by 4.
            #expect(abs(copy.height - copy.width * 4 / 3) <= 1, "\(copy.width)×\(copy.height)")
            let head = [UInt8](copy.bytes.prefix(12))
            if copy.format == .webp {
                #expect(head.starts(with: Array("RIFF".utf8)) && Array(head[8..<12]) == Array("WEBP".utf8))
            } else {
                #expect(head.starts(with: [0xFF, 0xD8, 0xFF]))
            }
            // Nothing of where or with what it was taken: no camera name, and no EXIF in a JPEG.
            // libvips 8.14 writes a small EXIF chunk of its own into WebP: only the picture's
            // resolution, without the GPS directory (tag 0x8825) the original had.
            #expect(copy.bytes.range(of: Data("CommonsTestCamera".utf8)) == nil)
            if copy.format == .jpeg {
                #expect(copy.bytes.range(of: Data("Exif".utf8)) == nil)
            } else if let exif = Self.webpChunk("EXIF", in: copy.bytes) {
                #expect(exif.count < 256)
                #expect(exif.range(of: Data([0x88, 0x25])) == nil && exif.range(of: Data([0x25, 0x88])) == nil)
            }
            #expect(copy.bytes.count < photo.count)
        }
        // Narrower than every standard width: its own width, once in each format, never enlarged.
        let small = try ImageResizer.resize(try Self.fixture("small.png"))
        #expect(small.map(\.width) == [300, 300] && small.map(\.height) == [200, 200])
        // A header claiming ten gigapixels is refused before anything is decoded.
        #expect(throws: ImageProblem.tooLarge) { try ImageResizer.resize(try Self.fixture("huge-header.png")) }
        // Bytes that start like a picture and are not one, and files of other kinds.
        let broken = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x41, count: 200))
        #expect(throws: ImageProblem.unreadable) { try ImageResizer.resize(broken) }
        #expect(throws: ImageProblem.unreadable) { try ImageResizer.resize(Data("%PDF-1.4\n%%EOF\n".utf8)) }
        #expect(throws: ImageProblem.unreadable) { try ImageResizer.resize(Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)) }
        #expect(throws: ImageProblem.unreadable) { try ImageResizer.resize(Data()) }
    }

    @Test func test_featured_pictures_show_on_home_news_and_post_with_srcset_and_their_size() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let photo = try Self.fixture("photo-exif.jpg")
        let sha = Self.sha256(photo)
        let forms = StaffEditorTests()
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            // A picture that cannot be read is refused beside its field, and nothing is stored.
            let broken = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x41, count: 200))
            let refused = try await forms.upload(client, editor, "/admin/documents", fields: [("title", "Broken")], file: ("broken.jpg", broken))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("This picture could not be read."))
            #expect(try await client.get("/documents/broken").status == .notFound)

            let uploaded = try await forms.upload(
                client,
                editor,
                "/admin/documents",
                fields: [("title", "Rally at Tweed"), ("description", "Parents rally on the steps of Tweed Courthouse.")],
                file: ("IMG_0042.jpg", photo)
            )
            #expect(uploaded.status == .seeOther)
            let documentID = try #require(uploaded.headers[.location]?.split(separator: "/").last.map(String.init))
            let post = try await editor.post(
                client,
                "/admin/posts",
                [("title", "Parents rally at Tweed"), ("body", "We were there."), ("status", "published"), ("featured_document", documentID)]
            )
            #expect(post.status == .seeOther)

            let webp = (["480", "960", "1500"]).map { "/images/\(sha)-\($0).webp \($0)w" }.joined(separator: ", ")
            let jpeg = (["480", "960", "1500"]).map { "/images/\(sha)-\($0).jpg \($0)w" }.joined(separator: ", ")
            for path in ["/", "/news", "/news/parents-rally-at-tweed", "/es/news"] {
                let html = try await client.get(path).text
                #expect(html.contains("<source type=\"image/webp\" srcset=\"\(webp)\""), "\(path)")
                #expect(html.contains("<img src=\"/images/\(sha)-960.jpg\" srcset=\"\(jpeg)\""), "\(path)")
                // Its size is known before it arrives, so nothing below it moves.
                #expect(html.contains("width=\"1500\" height=\"2000\""), "\(path)")
                #expect(html.contains("alt=\"Parents rally on the steps of Tweed Courthouse.\""), "\(path)")
                // The first pictures of a page load at once; only those further down wait.
                #expect(!html.contains("loading=\"lazy\""), "\(path)")
            }
            let article = try await client.get("/news/parents-rally-at-tweed").text
            #expect(article.contains("sizes=\"(min-width: 48rem) 44rem, 100vw\""))
            #expect(article.contains("<meta property=\"og:image\" content=\"https://commons.test/images/\(sha)-1500.jpg\">"))
            #expect(article.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"))

            for (width, format) in [(480, "webp"), (960, "jpg"), (1500, "webp"), (1500, "jpg")] {
                let copy = try await client.get("/images/\(sha)-\(width).\(format)")
                #expect(copy.status == .ok)
                #expect(copy.headers[.contentType] == (format == "webp" ? "image/webp" : "image/jpeg"))
                #expect(copy.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(copy.body.readableBytes > 1000)
                let again = try await client.get("/images/\(sha)-\(width).\(format)", headers: [.ifNoneMatch: copy.headers[.eTag] ?? ""])
                #expect(again.status == .notModified)
            }
            for bad in [
                "/images/\(sha)-481.jpg", "/images/\(sha)-1600.jpg", "/images/\(sha)-480.gif", "/images/\(sha.uppercased())-480.jpg",
                "/images/abc-480.jpg",
                "/images/\(sha)-99999999999999999999999.jpg", "/images/\(sha)-480.jpg.jpg", "/images/\(sha)--480.jpg",
            ] {
                #expect(try await client.get(bad).status == .notFound, "\(bad)")
            }
            // A photo taken down is no longer served by its copies' addresses either.
            try await site.withStore { store async throws in
                try await DocumentLibrary(database: store.database, clock: .system).delete(try #require(UUID(uuidString: documentID)))
            }
            #expect(try await client.get("/images/\(sha)-480.webp").status == .notFound)
        }
    }

    @Test func test_a_page_of_many_pictures_loads_those_below_the_fold_lazily() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let small = try Self.fixture("small.png")
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            let library = DocumentLibrary(database: store.database, clock: .system)
            let picture = try await library.add(DocumentUpload(title: "Circle", fileName: "circle.png", bytes: small))
            let newsroom = Newsroom(database: store.database, clock: .system)
            for number in 1...4 {
                try await newsroom.create(
                    PostDraft(
                        title: "Picture post \(number)",
                        body: "Text \(number).",
                        status: .published,
                        publishAt: Date(timeIntervalSinceNow: Double(-number * 60)),
                        featuredDocumentID: picture.id
                    )
                )
            }
        }
        try await site.run { client async throws in
            let html = try await client.get("/news").text
            // Four pictures: the first two at once, the other two when scrolled near.
            #expect(html.components(separatedBy: "<picture>").count == 5)
            #expect(html.components(separatedBy: "loading=\"lazy\"").count == 3)
            // Narrower than every width: one copy, its own size.
            #expect(html.contains("srcset=\"/images/\(Self.sha256(small))-300.webp 300w\""))
            #expect(html.contains("width=\"300\" height=\"200\""))
        }
    }

    @Test func test_pictures_uploaded_before_resizing_existed_get_their_copies_at_the_next_start() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        let small = try Self.fixture("small.png")
        try await site.withStore { store async throws in
            try await store.migrate(AllMigrations.list)
            try await DocumentLibrary(database: store.database, clock: .system).add(
                DocumentUpload(title: "Old circle", fileName: "circle.png", bytes: small)
            )
            // As a database from before: the picture stored, no table of copies, its migration not run.
            let sql = try #require(store.database as? any SQLDatabase)
            try await sql.raw("DROP TABLE image_variants").run()
            try await sql.raw("DELETE FROM _fluent_migrations WHERE name LIKE '%CreateImageVariants'").run()
        }
        try await site.run { client async throws in
            let copy = try await client.get("/images/\(Self.sha256(small))-300.webp")
            #expect(copy.status == .ok && copy.headers[.contentType] == "image/webp")
        }
    }

    @Test func test_colours_must_read_with_white_text_and_the_stylesheet_carries_them() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        let kept = try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let settings = [("site_name", "NYC Coalition for Educational Justice"), ("contact_email", "")]
            let plain = try #require(Self.stylesheet(in: try await client.get("/").text))

            // Too light for white text: refused with the measured ratio; not a colour at all: refused.
            let yellow = try #require(Colour(hex: "#ffcc00"))
            let ratio = Colour.ratioText(yellow.contrast(with: .white))
            #expect(ratio == "1.5:1")
            let refused = try await admin.post(client, "/admin/settings", settings + [("primary_color", "#ffcc00"), ("accent_color", "teal")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("White text on this colour has a contrast of only 1.5:1; it needs at least 4.5:1 to be read."))
            #expect(refused.text.contains("Write the colour as # and six hexadecimal digits, like #8a1c1c."))
            #expect(refused.text.contains("value=\"#ffcc00\""))
            #expect(Self.stylesheet(in: try await client.get("/").text) == plain)
            // In Spanish for a Spanish-speaking admin's screen, the same ratio.
            let spanish = try await admin.post(client, "/es/admin/settings", settings + [("primary_color", "#ffcc00")])
            #expect(spanish.text.contains("tiene un contraste de solo 1.5:1"))

            let saved = try await admin.post(client, "/admin/settings", settings + [("primary_color", "#1D4F91"), ("accent_color", "#2a6b2f")])
            #expect(saved.status == .seeOther)
            let home = try await client.get("/").text
            let themed = try #require(Self.stylesheet(in: home))
            #expect(themed != plain && themed.hasPrefix("/assets/site.") && themed.hasSuffix(".css"))
            let css = try await client.get(themed)
            #expect(css.status == .ok && css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.text.contains("--primary: #1d4f91;") && css.text.contains("--accent: #2a6b2f; --accent-text: #2a6b2f;"))
            // In the dark scheme the accent as text is lightened until it reads on the dark page.
            let dark = try #require(css.text.range(of: "@media (prefers-color-scheme: dark) { :root { --accent-text: "))
            let tint = try #require(Colour(hex: String(css.text[dark.upperBound...].prefix(7))))
            #expect(tint.contrast(with: Stylesheets.darkPaper) >= 4.5)
            #expect(css.text.hasPrefix(String(decoding: try await client.get(plain).body.readableBytesView, as: UTF8.self)))
            // The staff area wears the same colours; the form shows what is saved.
            let form = try await admin.get(client, "/admin/settings").text
            #expect(Self.stylesheet(in: form) == themed && form.contains("value=\"#1d4f91\""))
            // Another colour, another name: browsers that kept the old file for a year still see the change.
            _ = try await admin.post(client, "/admin/settings", settings + [("primary_color", "#1d4f92"), ("accent_color", "#2a6b2f")])
            let changed = try #require(Self.stylesheet(in: try await client.get("/").text))
            #expect(changed != themed && changed != plain)
            #expect(try await client.get(themed).status == .ok)
            // Back to the defaults: the plain stylesheet.
            _ = try await admin.post(client, "/admin/settings", settings)
            #expect(Self.stylesheet(in: try await client.get("/").text) == plain)
            _ = try await admin.post(client, "/admin/settings", settings + [("primary_color", "#1d4f91")])
            return try #require(Self.stylesheet(in: try await client.get("/").text))
        }
        // After a restart, the stylesheet a browser asks for before any page is rendered is there.
        try await site.run { client async throws in
            let css = try await client.get(kept)
            #expect(css.status == .ok && css.text.contains("--primary: #1d4f91;"))
            #expect(try await client.get("/assets/site.0123456789ab.css").status == .notFound)
        }
    }

    @Test func test_the_logo_and_link_preview_picture_are_checked_stored_and_shown() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        let forms = StaffEditorTests()
        let photo = try Self.fixture("photo-exif.jpg")
        try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let settings = [("site_name", "NYC Coalition for Educational Justice"), ("contact_email", "")]
            let gif = try await forms.upload(
                client,
                admin,
                "/admin/settings",
                fields: settings,
                file: nil,
                more: [("logo_file", "logo.gif", Data("GIF89a\u{1}\u{0}".utf8))]
            )
            #expect(gif.status == .unprocessableContent && gif.text.contains("The logo must be a PNG, JPEG, WebP or SVG image."))
            let svgPreview = try await forms.upload(
                client,
                admin,
                "/admin/settings",
                fields: settings,
                file: nil,
                more: [("social_image_file", "card.svg", Data(CoalitionTests.hostileSVG.utf8))]
            )
            #expect(svgPreview.status == .unprocessableContent && svgPreview.text.contains("must be a PNG, JPEG or WebP."))

            let saved = try await forms.upload(
                client,
                admin,
                "/admin/settings",
                fields: settings,
                file: nil,
                more: [("logo_file", "logo.svg", Data(CoalitionTests.hostileSVG.utf8)), ("social_image_file", "card.jpg", photo)]
            )
            #expect(saved.status == .seeOther)
            let home = try await client.get("/").text
            let logoStart = try #require(home.range(of: "<img class=\"site-logo\" src=\""))
            let logoPath = String(home[logoStart.upperBound...].prefix { $0 != "\"" })
            #expect(logoPath.hasPrefix("/site-files/") && logoPath.hasSuffix(".svg"))
            let logo = try await client.get(logoPath)
            #expect(logo.status == .ok && logo.headers[.contentType] == "image/svg+xml")
            #expect(logo.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(logo.text.contains("<circle") && !logo.text.contains("script") && !logo.text.contains("tracker.example"))
            // Shown in the staff header too, and pages without a picture of their own share the site's.
            #expect(try await admin.get(client, "/admin").text.contains("<img class=\"site-logo\" src=\"\(logoPath)\""))
            let preview = "https://commons.test/site-files/\(Self.sha256(photo)).jpg"
            #expect(home.contains("<meta property=\"og:image\" content=\"\(preview)\">"))
            #expect(try await client.get("/site-files/\(Self.sha256(photo)).jpg").headers[.contentType] == "image/jpeg")
            // Only the files in use are served there: a document's bytes are not reachable by their hash.
            let pdf = Data("%PDF-1.4\nprivate draft\n%%EOF\n".utf8)
            try await site.withStore { store async throws in
                try await DocumentLibrary(database: store.database, clock: .system).add(DocumentUpload(title: "Draft", fileName: "d.pdf", bytes: pdf))
            }
            #expect(try await client.get("/site-files/\(Self.sha256(pdf)).svg").status == .notFound)
            #expect(try await client.get("/site-files/\(Self.sha256(pdf)).pdf").status == .notFound)

            // Removing both: no logo, no site picture in previews.
            let removed = try await admin.post(client, "/admin/settings", settings + [("remove_logo", "yes"), ("remove_social_image", "yes")])
            #expect(removed.status == .seeOther)
            let after = try await client.get("/").text
            #expect(!after.contains("site-logo") && !after.contains("og:image"))
            #expect(try await client.get(logoPath).status == .notFound)
        }
    }
}
