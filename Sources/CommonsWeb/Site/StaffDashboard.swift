import CommonsAccounts
import CommonsCharts
import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// `/admin`: what an organizer opens every morning. Counts only, never a person: sign-ups today
/// and this week per open campaign with a line of the last 14 days, petitions' progress, the
/// next events with their places, drafts and scheduled posts, and what is waiting for someone.
/// Each part shows only to the roles that may open the screens behind it.
struct StaffDashboard {
    struct CampaignRow {
        let title: String
        let url: String
        let today: String
        let week: String
        let total: String
        let sparkline: String
        let progress: Progress?
    }

    struct Progress {
        let value: Int
        let max: Int
        let text: String
    }

    struct EventRow {
        let title: String
        let url: String
        let whenText: String
        let badgeMonth: String
        let badgeDay: String
        let seatsText: String
        let waitlistText: String?
    }

    struct Waiting {
        let text: String
        let url: String?
    }

    let layout: StaffLayout
    let greeting: String
    let showsOrganizing: Bool
    let campaigns: [CampaignRow]
    let hasCampaigns: Bool
    let events: [EventRow]
    let hasEvents: Bool
    let showsContent: Bool
    let draftsText: String
    let scheduledText: String
    let postsURL: String
    let waiting: [Waiting]
    let hasWaiting: Bool
}

extension Site {
    /// The days the dashboard counts: the starts of the last 14 days in the coalition's zone,
    /// then the end of today.
    func dashboardDays() -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = settings.timeZone
        let today = calendar.startOfDay(for: clock.now)
        return (0...14).compactMap { calendar.date(byAdding: .day, value: $0 - 13, to: today) }
    }

    func dashboard(for staff: StaffIdentity, layout: StaffLayout, language: Language) async throws -> StaffDashboard {
        let strings = catalogs[language]
        let formatting = formatting(language)
        let locale = Locale(identifier: language.localeIdentifier)
        func number(_ value: Int) -> String { value.formatted(.number.locale(locale)) }
        let role = staff.role

        var campaigns: [StaffDashboard.CampaignRow] = []
        var events: [StaffDashboard.EventRow] = []
        if role.may(.organizing) {
            let figures = OrganizingFigures(database: database)
            for campaign in try await figures.openCampaigns(days: dashboardDays()) {
                let counts = campaign.daily.map(number).joined(separator: ", ")
                campaigns.append(
                    StaffDashboard.CampaignRow(
                        title: campaign.title,
                        url: StaffPath.campaign(in: language, campaign.id.uuidString),
                        today: number(campaign.daily.last ?? 0),
                        week: number(campaign.daily.suffix(7).reduce(0, +)),
                        total: number(campaign.total),
                        sparkline: Sparkline.svg(campaign.daily, label: strings.format("staff.dashboard_sparkline", ["counts": counts])),
                        progress: campaign.kind == .petition
                            ? campaign.goal.map { goal in
                                StaffDashboard.Progress(
                                    value: min(campaign.total, goal),
                                    max: goal,
                                    text: strings.format("staff.dashboard_progress", ["count": number(campaign.total), "goal": number(goal)])
                                )
                            } : nil
                    )
                )
            }
            for event in try await figures.nextEvents(after: clock.now, limit: 5) {
                let badge = formatting.dateBadge(event.startsAt, timeZone: event.timeZone)
                events.append(
                    StaffDashboard.EventRow(
                        title: event.title,
                        url: StaffPath.event(in: language, event.id.uuidString),
                        whenText: formatting.eventTime(start: event.startsAt, end: event.endsAt, timeZone: event.timeZone),
                        badgeMonth: badge.month,
                        badgeDay: badge.day,
                        seatsText: event.capacity.map {
                            strings.format("staff.dashboard_seats", ["seats": number(event.seats), "capacity": number($0)])
                        } ?? strings.format("staff.dashboard_seats_open", ["seats": number(event.seats)]),
                        waitlistText: event.waitlisted > 0 ? strings.format("staff.dashboard_waitlisted", ["count": number(event.waitlisted)]) : nil
                    )
                )
            }
        }

        var waiting: [StaffDashboard.Waiting] = []
        var content = ContentFigures.Counts(drafts: 0, scheduled: 0, untranslated: [:])
        if role.may(.content) {
            let others = languages.filter { $0 != .english }
            content = try await ContentFigures(database: database).counts(languages: others.map(\.code), now: clock.now)
            // One line for each count, naming every language it is missing in.
            let missing = Dictionary(grouping: others.filter { content.untranslated[$0.code] != nil }) { content.untranslated[$0.code]! }
            for (count, languages) in missing.sorted(by: { $0.key > $1.key }) {
                let names = languages.map { strings["language.\($0.code)"] }.joined(separator: ", ")
                waiting.append(
                    .init(
                        text: strings.format("staff.dashboard_untranslated", ["count": number(count), "language": names]),
                        url: StaffPath.posts(in: language)
                    )
                )
            }
        }
        if role.may(.supporters), settings.mail.server == nil {
            waiting.append(.init(text: strings["staff.mail_not_configured"], url: nil))
        }
        if role.may(.administration) {
            let lockOuts = try await SignInDesk(database: database, clock: clock).lockOuts()
            if lockOuts > 0 {
                waiting.append(
                    .init(text: strings.format("staff.dashboard_lockouts", ["count": number(lockOuts)]), url: StaffPath.audit(in: language))
                )
            }
            if let folder = settings.backupDirectory {
                if let newest = Backups.newest(in: folder) {
                    if clock.now.timeIntervalSince(newest) > 24 * 3600 {
                        waiting.append(.init(text: strings.format("staff.dashboard_backup_stale", ["date": formatting.dateTime(newest)]), url: nil))
                    }
                } else {
                    waiting.append(.init(text: strings["staff.dashboard_backup_none"], url: nil))
                }
            }
        }
        return StaffDashboard(
            layout: layout,
            greeting: strings.format("staff.greeting", ["name": layout.staffName]),
            showsOrganizing: role.may(.organizing),
            campaigns: campaigns,
            hasCampaigns: !campaigns.isEmpty,
            events: events,
            hasEvents: !events.isEmpty,
            showsContent: role.may(.content),
            draftsText: strings.format("staff.dashboard_drafts", ["count": number(content.drafts)]),
            scheduledText: strings.format("staff.dashboard_scheduled", ["count": number(content.scheduled)]),
            postsURL: StaffPath.posts(in: language),
            waiting: waiting,
            hasWaiting: !waiting.isEmpty
        )
    }
}
