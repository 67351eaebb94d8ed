import CommonsAccounts
import CommonsContent
import CommonsCore
import CommonsOrganizing
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

/// `/admin`: counts for the morning, drawn on the server, each part only for the roles behind it.
@Suite("Staff dashboard")
struct StaffDashboardTests {
    @Test func test_the_dashboard_counts_sign_ups_by_day_events_drafts_and_what_is_waiting_without_a_name() async throws {
        // Tuesday 10 March 2026, 1 pm in New York (EDT): "today" began at 04:00 UTC.
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_162_000))
        var configured = try await TestSite.make(clock: clock.clock)
        let backups = configured.database.folder.appendingPathComponent("backups")
        configured.settings.backupDirectory = backups.path
        let site = configured
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "admin@example.org", role: .admin)
        try await addStaff(site, email: "org@example.org", role: .organizer)
        try await addStaff(site, email: "ed@example.org", role: .editor)
        try await site.run { client async throws in _ = try await client.get("/healthz") }
        let keys = try site.dataKeys()
        try await site.withStore { store async throws in
            let db = store.database
            let desk = ActionDesk(database: db, keys: keys, clock: clock.clock)
            let petition = try await CampaignDirectory(database: db).create(
                CampaignDraft(title: "Fund community schools", kind: .petition, description: "Sign.", petitionText: "Fund them.", goal: 10)
            )
            // Seven signatures: three today, two yesterday, one six days ago, one twenty days ago.
            let ages: [Double] = [0, 0, 0, 1, 1, 6, 20]
            for (index, age) in ages.enumerated() {
                let person = Person(givenName: "Signer\(index)", email: "signer\(index)@example.org")
                let receipt = try await desk.sign(
                    petition,
                    ActionSubmission(person: person, emailOptIn: false, smsOptIn: false, formToken: "d-\(index)")
                )
                try await Action.query(on: db).filter(\.$id == receipt.actionID).set(\.$createdAt, to: clock.clock.now - age * 86_400).update()
            }
            let now = clock.clock.now
            let event = try await EventDirectory(database: db, clock: clock.clock).create(
                EventDraft(
                    title: "Town hall",
                    description: "x",
                    startsAt: now + 86_400,
                    endsAt: now + 90_000,
                    timeZone: "America/New_York",
                    capacity: 3
                )
            )
            for (index, guests) in [1, 1, 0].enumerated() {
                let person = Person(givenName: "Guest\(index)", email: "guest\(index)@example.org")
                _ = try await desk.rsvp(
                    event,
                    ActionSubmission(person: person, emailOptIn: false, smsOptIn: false, formToken: "r-\(index)", guests: guests)
                )
            }
            let newsroom = Newsroom(database: db, clock: clock.clock)
            try await newsroom.create(PostDraft(title: "Unfinished", body: "x"))
            try await newsroom.create(PostDraft(title: "Later", body: "x", status: .scheduled, publishAt: now + 3600))
            // A backup from two days ago.
            try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
            let old = backups.appendingPathComponent("commons-20260308-120000.sqlite").path
            FileManager.default.createFile(atPath: old, contents: Data("x".utf8))
            try FileManager.default.setAttributes([.modificationDate: now - 2 * 86_400], ofItemAtPath: old)
        }
        try await site.run { client async throws in
            // Someone guessing at a password five times: one address locked out.
            for _ in 0..<SignInDesk.failureLimit { _ = try await client.signInAttempt(email: "someone@example.org", password: "wrong-guess-1234") }
            let admin = try #require(try await StaffBrowser.signIn(client, email: "admin@example.org"))
            let html = try await admin.get(client, "/admin").text
            // Today, the last seven days (yesterday's two and six days ago's one), and all seven.
            let row = try #require(html.range(of: "Fund community schools</a>").map { String(html[$0.lowerBound...].prefix(2500)) })
            #expect(row.contains("<td class=\"number\">3</td>\n        <td class=\"number\">6</td>"), "\(row)")
            #expect(row.contains("<td class=\"number\">7</td>"))
            #expect(row.contains("<progress value=\"7\" max=\"10\" aria-label=\"7 of 10 signatures\">"))
            // The line of the last 14 days, drawn here, says its numbers; the one of 20 days ago is not in it.
            #expect(row.contains("<svg class=\"sparkline\"") && row.contains("role=\"img\""))
            #expect(row.contains("aria-label=\"Sign-ups a day, last 14 days: 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 3\""))
            // Two and their guests fill the three places; the next couple waits.
            #expect(html.contains("3 of 3 places taken · 1 on the waitlist"))
            #expect(html.contains("Town hall</a>"))
            #expect(html.contains("Drafts: 1") && html.contains("Scheduled to appear: 1"))
            #expect(html.contains("1 sign-in addresses are locked out"))
            #expect(html.contains("The newest backup was written") && html.contains("more than a day ago"))
            #expect(html.contains("Mail is queued but not sent"))
            // Counts only: not a name, not an address.
            for personal in ["Signer", "signer0@", "Guest", "guest0@", "someone@example.org"] {
                #expect(!html.contains(personal), "\(personal)")
            }

            // An organizer sees campaigns and events, not content or the administrators' warnings.
            let organizer = try #require(try await StaffBrowser.signIn(client, email: "org@example.org"))
            let theirs = try await organizer.get(client, "/admin").text
            #expect(theirs.contains("Fund community schools") && theirs.contains("Town hall"))
            #expect(!theirs.contains("Drafts:") && !theirs.contains("locked out") && !theirs.contains("backup"))
            // An editor sees posts and pages, and what is untranslated; no sign-up figures.
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let editors = try await editor.get(client, "/admin").text
            #expect(editors.contains("Drafts: 1") && !editors.contains("Fund community schools") && !editors.contains("Town hall"))
            #expect(editors.contains("public posts and pages are not yet in Español"))
            // The public home page names the next event beside the mission, with its day on a leaf.
            let home = try await client.get("/").text
            #expect(home.contains("<p class=\"campaign-title\"><a href=\"/events/town-hall\">Town hall</a></p>"))
            #expect(home.contains("<span class=\"date-badge-day\">11</span>"))
            // In Spanish, with its numbers.
            #expect(try await admin.get(client, "/es/admin").text.contains("7 de 10 firmas"))
        }
    }
}
