import CommonsContent
import CommonsCore
import CommonsOrganizing
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// Member organizations (staff screens, logos, the public `/coalition` pages, co-sponsors) and
/// the forms their websites frame (`/embed/…`, `frame-ancestors`, `?via=`, partner counts).
@Suite("Coalition")
struct CoalitionTests {
    static let hostileSVG = """
        <?xml version="1.0"?>
        <!DOCTYPE svg [<!ENTITY x "boom">]>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
          <title>Parents United</title>
          <script>alert(document.cookie)</script>
          <style>@import url(https://tracker.example/x.css);</style>
          <a xlink:href="javascript:alert(2)"><rect width="10" height="10" fill="#8a1c1c"/></a>
          <image href="https://tracker.example/pixel.png" width="1" height="1"/>
          <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
          <path d="M0 0L10 10" stroke="url(https://tracker.example/#p)" fill="url(#g)" onclick="alert(3)"/>
          <circle cx="5" cy="5" r="4" fill="#0b4f8a"/>
          <text x="1" y="9">&x;</text>
        </svg>
        """
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])

    @Test func test_svg_logos_keep_only_their_shapes() throws {
        let clean = try #require(SVGSanitizer.sanitize(Array(Self.hostileSVG.utf8)))
        for gone in ["script", "onload", "onclick", "tracker", "javascript", "<a", "href", "<image", "foreignObject", "<style", "<text", "boom"] {
            #expect(!clean.contains(gone), "\(gone) in \(clean)")
        }
        #expect(clean.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"))
        #expect(clean.contains("<title>Parents United</title>") && clean.contains("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#0b4f8a\"></circle>"))
        // The path stays, its outside reference goes and its reference inside the drawing stays.
        #expect(clean.contains("<path d=\"M0 0L10 10\" fill=\"url(#g)\"></path>"))
        // Found by fuzzing: a line break in a value and a quoted reference read back the same.
        let quoted = "<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0\n0\" fill=\"url('#g')\"/><title>a&#13;b</title></svg>"
        let kept = try #require(SVGSanitizer.sanitize(Array(quoted.utf8)))
        #expect(kept == "<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0 0\" fill=\"url(&#39;#g&#39;)\"></path><title>a\nb</title></svg>")
        #expect(SVGSanitizer.sanitize(Array(kept.utf8)) == kept)
        // Found by fuzzing: `href=` as text inside another attribute's value stays that value's
        // text, escaped; it never becomes an attribute.
        let inValue = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"le>\n  mage href=\"/></svg>"
        let escaped = try #require(SVGSanitizer.sanitize(Array(inValue.utf8)))
        #expect(escaped == "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"le&gt;   mage href=\"></circle></svg>")
        // And `url(` with an outside address in a title's text is text, not a reference.
        let titled = "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>see url(https://tracker.example/x)</title></svg>"
        #expect(SVGSanitizer.sanitize(Array(titled.utf8)) == titled)
        // Not an SVG drawing at all: refused.
        #expect(SVGSanitizer.sanitize(Array("<html><body>x</body></html>".utf8)) == nil)
        #expect(SVGSanitizer.sanitize(Array("not xml".utf8)) == nil)
        #expect(SVGSanitizer.sanitize([]) == nil)
        // Deep nesting is cut off, not followed down the stack; past libxml2's own limit, refused.
        func nested(_ depth: Int) -> [UInt8] {
            Array(
                ("<svg xmlns=\"http://www.w3.org/2000/svg\">" + String(repeating: "<g>", count: depth) + String(repeating: "</g>", count: depth)
                    + "</svg>").utf8
            )
        }
        let flattened = try #require(SVGSanitizer.sanitize(nested(200)))
        #expect(flattened.components(separatedBy: "<g>").count == SVGSanitizer.depthLimit + 1)
        let tooDeep = SVGSanitizer.sanitize(nested(5000))
        #expect(tooDeep == nil)
    }

    @Test func test_partner_origins_are_checked_before_they_reach_a_header() {
        #expect(WebAddress.origin("https://Partner.Example/") == "https://partner.example")
        #expect(WebAddress.origin("http://127.0.0.1:8123") == "http://127.0.0.1:8123")
        #expect(WebAddress.origin("https://partner.example:443") == "https://partner.example")
        for bad in [
            "javascript:alert(1)", "https://partner.example/page", "https://a.example; script-src *", "https://user@partner.example",
            "ftp://partner.example", "https://partner.example?x=1", "*", "'self'", "https://", "https://-bad.example", "https://exa mple.org",
        ] {
            #expect(WebAddress.origin(bad) == nil, "\(bad)")
        }
    }

    @Test func test_editors_keep_member_organizations_and_readers_find_them_by_area_and_language() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await addStaff(site, email: "org@example.org", role: .organizer)
        let forms = StaffEditorTests()
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            #expect(try await editor.get(client, "/admin/members/new").status == .ok)

            // Refused, with every reason beside its field, and nothing stored.
            let gif = Data("GIF89a\u{1}\u{0}".utf8)
            let refused = try await forms.upload(
                client,
                editor,
                "/admin/members",
                fields: [("title", ""), ("website", "javascript:alert(1)"), ("position", "-4")],
                file: nil,
                more: [("logo", "logo.gif", gif)]
            )
            #expect(refused.status == .unprocessableContent)
            for message in [
                "Enter a title.", "Enter a full web address starting with https:// or http://.", "The logo must be a PNG, JPEG, WebP or SVG image.",
                "The position must be a whole number from 0 to 100,000.",
            ] {
                #expect(refused.text.contains(message), "\(message)")
            }
            #expect(try await client.get("/coalition").text.contains("No member organization matches these choices."))

            let first = try await forms.upload(
                client,
                editor,
                "/admin/members",
                fields: [
                    ("title", "Parents United of the Bronx"), ("description", "Parents organizing **since 1998**."),
                    ("website", "https://parents-united.example"), ("areas", "Bronx, Mott Haven"), ("contact", "info@parents-united.example"),
                    ("language_es", "yes"), ("language_bn", "yes"),
                ],
                file: nil,
                more: [("logo", "logo.svg", Data(Self.hostileSVG.utf8))]
            )
            #expect(first.status == .seeOther)
            let second = try await forms.upload(
                client,
                editor,
                "/admin/members",
                fields: [("title", "Teachers Local 9"), ("areas", "Manhattan"), ("language_zh", "yes"), ("position", "0")],
                file: nil,
                more: [("logo", "logo.png", Self.png)]
            )
            #expect(second.status == .seeOther)

            // The logo: shapes only, served so that nothing in it could run even opened alone.
            let logo = try await client.get("/coalition/parents-united-of-the-bronx/logo")
            #expect(logo.status == .ok && logo.headers[.contentType] == "image/svg+xml")
            #expect(logo.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(!logo.text.contains("script") && !logo.text.contains("tracker") && logo.text.contains("<circle"))
            let raster = try await client.get("/coalition/teachers-local-9/logo")
            #expect(raster.headers[.contentType] == "image/png" && Data(raster.body.readableBytesView) == Self.png)

            // The list: in the coalition's order (position 0 first), filtered by area and language.
            let all = try await client.get("/coalition").text
            let teachers = try #require(all.range(of: "Teachers Local 9"))
            let parents = try #require(all.range(of: "Parents United of the Bronx"))
            #expect(teachers.lowerBound < parents.lowerBound)
            #expect(all.contains("2 organizations") && all.contains("<option value=\"Mott Haven\">Mott Haven</option>"))
            let bronx = try await client.get("/coalition?area=bronx").text
            #expect(bronx.contains("Parents United of the Bronx") && !bronx.contains("Teachers Local 9") && bronx.contains("1 organizations"))
            let bengali = try await client.get("/coalition?language=bn").text
            #expect(bengali.contains("Parents United of the Bronx") && !bengali.contains("href=\"/coalition/teachers-local-9\""))
            #expect(try await client.get("/coalition?language=fr").text.contains("No member organization matches these choices."))
            // Unknown filter values are ignored, never an error.
            #expect(try await client.get("/coalition?area=%00%FF&language=xx").status == .ok)
            let spanish = try await client.get("/es/coalition").text
            #expect(spanish.contains("Nuestra coalición") && spanish.contains("href=\"/es/coalition/parents-united-of-the-bronx\""))

            // Co-sponsors: an organizer names the member on a new campaign; both pages say so.
            let memberID = try #require(first.headers[.location]?.split(separator: "/").last.map(String.init))
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let newCampaign = try await organizer.get(client, "/admin/campaigns/new").text
            #expect(newCampaign.contains("Co-sponsored by Parents United of the Bronx"))
            let created = try await organizer.post(
                client,
                "/admin/campaigns",
                [
                    ("title", "Fund Bronx libraries"), ("kind", "signup"), ("status", "open"), ("description", "Open every school library."),
                    ("cosponsor_\(memberID)", "yes"),
                ]
            )
            #expect(created.status == .seeOther)
            let campaignPage = try await client.get("/campaigns/fund-bronx-libraries").text
            #expect(campaignPage.contains("Co-sponsored by") && campaignPage.contains("href=\"/coalition/parents-united-of-the-bronx\""))
            let memberPage = try await client.get("/coalition/parents-united-of-the-bronx").text
            #expect(memberPage.contains("href=\"/campaigns/fund-bronx-libraries\"") && memberPage.contains("<strong>since 1998</strong>"))
            // Each language by its own name, as the language switcher names it.
            #expect(memberPage.contains("<dd>Español, বাংলা</dd>"))
            #expect(memberPage.contains("info@parents-united.example"))
            let editAgain = try await organizer.get(client, try #require(created.headers[.location])).text
            #expect(editAgain.contains("name=\"cosponsor_\(memberID)\" value=\"yes\" checked"))

            // Translated like a post: its Spanish name and description on the Spanish pages.
            let translated = try await editor.post(
                client,
                "/admin/members/\(memberID)/translations/es",
                [("title", "Padres Unidos del Bronx"), ("body", "Madres y padres **organizados**.")]
            )
            #expect(translated.status == .seeOther)
            let spanishMember = try await client.get("/es/coalition/parents-united-of-the-bronx").text
            #expect(spanishMember.contains("Padres Unidos del Bronx") && spanishMember.contains("<strong>organizados</strong>"))
            #expect(try await client.get("/es/coalition").text.contains("Padres Unidos del Bronx"))
            // In the sitemap, with the list.
            let sitemap = try await client.get("/sitemap-en.xml").text
            #expect(sitemap.contains("/coalition/parents-united-of-the-bronx</loc>") && sitemap.contains("/coalition</loc>"))

            // Deleting the member takes it off the campaign, and its pages go.
            #expect(try await editor.post(client, "/admin/members/\(memberID)/delete").status == .seeOther)
            #expect(try await client.get("/coalition/parents-united-of-the-bronx").status == .notFound)
            #expect(!(try await client.get("/campaigns/fund-bronx-libraries").text.contains("Co-sponsored by")))
        }
    }

    @Test func test_embedded_forms_are_framed_only_by_listed_partners_and_count_for_them() async throws {
        let clock = TestClock()
        let site = try await TestSite.make(clock: clock.clock)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let memberID = try await site.withStore { store async throws in
            let now = clock.clock.now
            try await EventDirectory(database: store.database, clock: clock.clock).create(
                EventDraft(title: "Rally", description: "x", startsAt: now + 3600, endsAt: now + 7200, timeZone: "America/New_York")
            )
            return try await Coalition(database: store.database).add(MemberDraft(name: "Parents United", areas: "Bronx")).requireID()
        }
        let partners = "frame-ancestors https://partner.example http://127.0.0.1:8123;"
        try await site.run { client async throws in
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let settings = [("site_name", "NYC Coalition for Educational Justice"), ("contact_email", "")]
            let wrong = try await admin.post(client, "/admin/settings", settings + [("embed_origins", "https://partner.example/page")])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("such as https://partner.example (no page path)"))
            let saved = try await admin.post(
                client,
                "/admin/settings",
                settings + [("embed_origins", "https://Partner.Example/\r\nhttp://127.0.0.1:8123\n\nhttps://partner.example")]
            )
            #expect(saved.status == .seeOther)

            // The form alone, framed only by the listed partners; no cookie, nothing from elsewhere.
            let embed = try await client.get("/embed/campaigns/sanctuary-schools?via=parents-united")
            #expect(embed.status == .ok)
            #expect(embed.headers[.contentSecurityPolicy]?.contains(partners) == true, "\(embed.headers[.contentSecurityPolicy] ?? "")")
            #expect(embed.headers[.setCookie] == nil && embed.headers[HTTPField.Name("X-Frame-Options")!] == nil)
            #expect(
                embed.text.contains("name=\"via\" value=\"parents-united\"") && embed.text.contains("action=\"/embed/campaigns/sanctuary-schools\"")
            )
            #expect(!embed.text.contains("site-header") && !embed.text.contains("<script") && embed.text.contains("class=\"embed\""))
            // Every other page still refuses to be framed.
            for path in ["/", "/campaigns/sanctuary-schools", "/coalition", "/events/rally", "/admin/login", "/embed/campaigns/no-such-campaign"] {
                let page = try await client.get(path)
                #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(path)")
            }
            let spanish = try await client.get("/es/embed/campaigns/sanctuary-schools?via=parents-united").text
            #expect(spanish.contains("lang=\"es\"") && spanish.contains("action=\"/es/embed/campaigns/sanctuary-schools\""))
            // A partner the coalition does not have is not carried along.
            #expect(!(try await client.get("/embed/campaigns/sanctuary-schools?via=nobody").text.contains("name=\"via\"")))

            // Mistakes are shown again inside the frame, the partner kept.
            let token = try formToken(in: embed.text)
            clock.advance(by: 5)
            let mistaken = try await client.post("/embed/campaigns/sanctuary-schools", form: [("form_token", token), ("via", "parents-united")])
            #expect(mistaken.status == .unprocessableContent && mistaken.headers[.contentSecurityPolicy]?.contains(partners) == true)
            #expect(
                mistaken.text.contains("error-summary") && mistaken.text.contains("name=\"via\" value=\"parents-united\"")
                    && !mistaken.text.contains("site-header")
            )

            // Answers: thanked inside the frame, and counted for the partner.
            let signed = try await client.fillAndSend("/embed/campaigns/sanctuary-schools", clock: clock, canary + [("via", "parents-united")])
            #expect(signed.status == .seeOther && signed.headers[.location] == "/embed/campaigns/sanctuary-schools/thanks")
            let thanks = try await client.get("/embed/campaigns/sanctuary-schools/thanks")
            #expect(
                thanks.headers[.contentSecurityPolicy]?.contains(partners) == true
                    && thanks.text.contains("Thank you for joining the Sanctuary Schools")
            )
            let rsvp = try await client.fillAndSend(
                "/embed/events/rally",
                clock: clock,
                [("given_name", "Rosa"), ("email", "rosa@example.org"), ("via", "parents-united")]
            )
            #expect(rsvp.headers[.location]?.hasPrefix("/embed/events/rally/thanks?r=") == true)
            let rsvpThanks = try await client.get(try #require(rsvp.headers[.location]))
            #expect(rsvpThanks.headers[.contentSecurityPolicy]?.contains(partners) == true && rsvpThanks.text.contains("Your RSVP is confirmed"))
            // An unknown partner, or none, is a sign-up like any other; the main page's form never takes `via`.
            _ = try await client.fillAndSend(
                "/embed/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Ana"), ("email", "ana@example.org"), ("via", "nobody")]
            )
            _ = try await client.fillAndSend(
                "/campaigns/sanctuary-schools",
                clock: clock,
                [("given_name", "Bo"), ("email", "bo@example.org"), ("via", "parents-united")]
            )

            // Staff: the supporter list filters by the partner, and its page counts the sign-ups.
            let list = try await admin.get(client, "/admin/supporters?via=\(memberID.uuidString)").text
            #expect(list.contains("Zanzibarina") && list.contains("Rosa") && !list.contains("Ana") && !list.contains(">Bo<"))
            // The supporter's own page says which member's website each action came through.
            let canaryLink = try #require(list.range(of: #"/admin/supporters/[0-9A-Fa-f-]{36}"#, options: .regularExpression))
            let supporterPage = try await admin.get(client, String(list[canaryLink])).text
            #expect(supporterPage.contains("Through the website of Parents United"))
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let staffPage = try await editor.get(client, "/admin/members/\(memberID.uuidString)").text
            #expect(staffPage.contains("<tr><th scope=\"row\">Rally</th><td>1</td></tr>"), "\(staffPage)")
            #expect(staffPage.contains("<tr><th scope=\"row\">Sanctuary Schools</th><td>1</td></tr>"))
            #expect(staffPage.contains("/embed/campaigns/sanctuary-schools?via=parents-united") && staffPage.contains("&lt;iframe"))
            #expect(!staffPage.contains("Zanzibarina") && !staffPage.contains("canary.person"))
        }
        try await site.withStore { store async throws in
            let via = try await Action.query(on: store.database).filter(\.$viaMemberID == memberID).count()
            #expect(via == 2)
            #expect(try await Action.query(on: store.database).count() == 4)
        }
    }
}
