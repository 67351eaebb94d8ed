import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The campaign and event editors: create, edit, close or reopen, cancel, feature.
struct StaffOrganizingRoutes {
    typealias Context = StaffContext<OrganizingArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.campaigns) { _, context in try await campaignList(context) }
        group.get(StaffPath.newCampaign) { _, context in try await campaignEditor(nil, values: ["kind": "signup", "status": "open"], context)
        }
        group.post(StaffPath.campaigns) { request, context in try await saveCampaign(nil, request, context) }
        group.get(StaffPath.campaign) { _, context in
            let campaign = try await campaign(context)
            return try await campaignEditor(campaign, values: Self.values(of: campaign), context)
        }
        group.post(StaffPath.campaign) { request, context in try await saveCampaign(try await campaign(context), request, context) }

        group.get(StaffPath.events) { _, context in try await eventList(context) }
        group.get(StaffPath.newEvent) { _, context in
            try await eventEditor(nil, values: ["time_zone": site.settings.timeZone.identifier, "status": "scheduled"], context)
        }
        group.post(StaffPath.events) { request, context in try await saveEvent(nil, request, context) }
        group.get(StaffPath.event) { _, context in
            let event = try await event(context)
            return try await eventEditor(event, values: values(of: event), context)
        }
        group.post(StaffPath.event) { request, context in try await saveEvent(try await event(context), request, context) }
    }

    // MARK: Campaigns

    func campaign(_ context: Context) async throws -> Campaign {
        guard let campaign = try await site.campaigns.campaign(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return campaign
    }

    static func values(of campaign: Campaign) -> [String: String] {
        var values = [
            "title": campaign.title, "slug": campaign.slug, "kind": campaign.kind.rawValue, "description": campaign.description,
            "petition_text": campaign.petitionText, "petition_target": campaign.petitionTarget, "goal": campaign.goal.map(String.init) ?? "",
            "status": campaign.status.rawValue, "thank_you": campaign.thankYou, "featured": campaign.featured ? "yes" : "",
            "supporter_tags": campaign.tagList.joined(separator: ", "),
        ]
        for field in PersonField.optional {
            if campaign.asked.contains(field) { values["ask_\(field.rawValue)"] = "yes" }
            if campaign.required.contains(field) { values["require_\(field.rawValue)"] = "yes" }
        }
        return values
    }

    func campaignList(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await site.campaigns.all().map { campaign in
            StaffListPage.Row(
                title: campaign.title,
                url: context.link(StaffPath.campaign, campaign.id!),
                cells: [
                    strings[campaign.kind == .petition ? "campaign.kind_petition" : "campaign.kind_signup"],
                    strings["staff.campaign_\(campaign.status.rawValue)"],
                    campaign.featured ? strings["staff.featured"] : "",
                ]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_campaigns"],
            path: context.link(StaffPath.campaigns),
            newURL: context.link(StaffPath.newCampaign),
            newLabel: strings["staff.new_campaign"],
            columns: [strings["staff.post_title"], strings["staff.kind"], strings["staff.status"], strings["staff.featured"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func campaignEditor(
        _ campaign: Campaign?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = campaign.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_campaign"]
        let kinds = Campaign.Kind.allCases.map {
            ActionForm.Option(
                value: $0.rawValue,
                label: strings[$0 == .petition ? "campaign.kind_petition" : "campaign.kind_signup"],
                selected: false
            )
        }
        let statuses = Campaign.Status.allCases.map {
            ActionForm.Option(value: $0.rawValue, label: strings["staff.campaign_\($0.rawValue)"], selected: false)
        }
        var fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField("kind", .select(kinds), label: strings["staff.kind"], values: values, errors: messages),
            StaffField("status", .select(statuses), label: strings["staff.status"], values: values, errors: messages),
            StaffField(
                "description",
                .textarea(rows: 8),
                label: strings["staff.description"],
                hint: strings["staff.body_hint"],
                values: values,
                errors: messages
            ),
            StaffField("petition_text", .textarea(rows: 4), label: strings["staff.petition_text"], values: values, errors: messages),
            StaffField("petition_target", .text, label: strings["staff.petition_target"], values: values, errors: messages),
            StaffField("goal", .number, label: strings["staff.goal"], values: values, errors: messages),
            StaffField("thank_you", .textarea(rows: 3), label: strings["staff.thank_you"], values: values, errors: messages),
            StaffField(
                "supporter_tags",
                .text,
                label: strings["staff.supporter_tags"],
                hint: strings["staff.comma_hint"],
                values: values,
                errors: messages
            ),
            StaffField("featured", .checkbox, label: strings["staff.feature_on_home"], values: values, errors: messages),
        ]
        for field in PersonField.allCases where PersonField.optional.contains(field) {
            fields.append(
                StaffField(
                    "ask_\(field.rawValue)",
                    .checkbox,
                    label: strings.format("staff.ask_field", ["field": strings["form.\(field.rawValue)"]]),
                    values: values,
                    errors: messages
                )
            )
            fields.append(
                StaffField(
                    "require_\(field.rawValue)",
                    .checkbox,
                    label: strings.format("staff.require_field", ["field": strings["form.\(field.rawValue)"]]),
                    values: values,
                    errors: messages
                )
            )
        }
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.campaigns),
            staff: context.staff,
            language: context.language
        )
        let links =
            campaign.map { [StaffLayout.NavigationItem(label: strings["staff.view_public"], url: SitePath.campaign($0.slug), isCurrent: false)] }
            ?? []
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: campaign.map { context.link(StaffPath.campaign, $0.id!) } ?? context.link(StaffPath.campaigns),
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"],
            links: links + (try await site.translationLinks(.campaign, id: campaign?.id, staffLanguage: context.language))
        )
        return site.views.page(.staffForm, model, status: status)
    }

    func saveCampaign(_ campaign: Campaign?, _ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        var goal: Int?
        if let raw = fields["goal"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            goal = Int(raw)
            if goal == nil { errors.add(field: "goal", message: "error.goal_invalid") }
        }
        let asked = Set(PersonField.optional.filter { fields["ask_\($0.rawValue)"] == "yes" })
        let required = Set(PersonField.optional.filter { fields["require_\($0.rawValue)"] == "yes" })
        let draft = CampaignDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            kind: Campaign.Kind(rawValue: fields["kind"] ?? "") ?? .signup,
            description: fields["description"] ?? "",
            petitionText: fields["petition_text"] ?? "",
            petitionTarget: fields["petition_target"] ?? "",
            goal: goal,
            status: Campaign.Status(rawValue: fields["status"] ?? "") ?? .open,
            thankYou: fields["thank_you"] ?? "",
            featured: fields["featured"] == "yes",
            supporterTags: (fields["supporter_tags"] ?? "").split(separator: ",").map(String.init),
            askedFields: asked,
            requiredFields: required
        )
        return try await saveOrShowAgain(found: errors) {
            let saved =
                if let campaign { try await site.campaigns.update(campaign.requireID(), with: draft) } else { try await site.campaigns.create(draft) }
            return context.link(StaffPath.campaign, try saved.requireID())
        } showAgain: { errors in
            try await campaignEditor(campaign, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }

    // MARK: Events

    func event(_ context: Context) async throws -> Event {
        guard let event = try await site.events.event(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return event
    }

    func values(of event: Event) -> [String: String] {
        [
            "title": event.title, "slug": event.slug, "description": event.description,
            "starts_at": StaffPostRoutes.localDateTime(event.startsAt, in: TimeZone(identifier: event.timeZone) ?? site.settings.timeZone),
            "ends_at": StaffPostRoutes.localDateTime(event.endsAt, in: TimeZone(identifier: event.timeZone) ?? site.settings.timeZone),
            "time_zone": event.timeZone, "venue": event.venue, "address": event.address,
            "online_url": event.onlineURL ?? "", "capacity": event.capacity.map(String.init) ?? "", "status": event.status.rawValue,
        ]
    }

    func eventList(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let rows = try await site.events.all().sorted { $0.startsAt > $1.startsAt }.map { event in
            StaffListPage.Row(
                title: event.title,
                url: context.link(StaffPath.event, event.id!),
                cells: [
                    formatting.eventTime(start: event.startsAt, end: event.endsAt, timeZone: event.timeZone),
                    strings["staff.event_\(event.status.rawValue)"],
                ]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_events"],
            path: context.link(StaffPath.events),
            newURL: context.link(StaffPath.newEvent),
            newLabel: strings["staff.new_event"],
            columns: [strings["staff.post_title"], strings["events.when"], strings["staff.status"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func eventEditor(
        _ event: Event?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    )
        async throws -> Response
    {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = event.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_event"]
        let statuses = [Event.Status.scheduled, .cancelled].map {
            ActionForm.Option(value: $0.rawValue, label: strings["staff.event_\($0.rawValue)"], selected: false)
        }
        let fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField("status", .select(statuses), label: strings["staff.status"], values: values, errors: messages),
            StaffField(
                "starts_at",
                .datetime,
                label: strings["staff.starts_at"],
                hint: strings["staff.local_time_hint"],
                values: values,
                errors: messages
            ),
            StaffField("ends_at", .datetime, label: strings["staff.ends_at"], values: values, errors: messages),
            StaffField("time_zone", .text, label: strings["staff.time_zone"], values: values, errors: messages),
            StaffField("venue", .text, label: strings["staff.venue"], values: values, errors: messages),
            StaffField("address", .text, label: strings["staff.address"], values: values, errors: messages),
            StaffField(
                "online_url",
                .url,
                label: strings["staff.online_url"],
                hint: strings["staff.online_url_hint"],
                values: values,
                errors: messages
            ),
            StaffField("capacity", .number, label: strings["staff.capacity"], hint: strings["staff.capacity_hint"], values: values, errors: messages),
            StaffField(
                "description",
                .textarea(rows: 8),
                label: strings["staff.description"],
                hint: strings["staff.body_hint"],
                values: values,
                errors: messages
            ),
        ]
        let layout = try await site.staffLayout(
            title: heading,
            path: context.link(StaffPath.events),
            staff: context.staff,
            language: context.language
        )
        let links =
            event.map { [StaffLayout.NavigationItem(label: strings["staff.view_public"], url: SitePath.event($0.slug), isCurrent: false)] } ?? []
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: event.map { context.link(StaffPath.event, $0.id!) } ?? context.link(StaffPath.events),
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: strings["staff.save"],
            links: links + (try await site.translationLinks(.event, id: event?.id, staffLanguage: context.language))
        )
        return site.views.page(.staffForm, model, status: status)
    }

    func saveEvent(_ event: Event?, _ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        let zone = TimeZone(identifier: fields["time_zone"] ?? "") ?? site.settings.timeZone
        func date(_ name: String) -> Date? {
            guard let value = fields[name], let date = StaffPostRoutes.parseLocalDateTime(value, in: zone) else {
                errors.add(field: name, message: "error.date_invalid")
                return nil
            }
            return date
        }
        let startsAt = date("starts_at")
        let endsAt = date("ends_at")
        var capacity: Int?
        if let raw = fields["capacity"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            capacity = Int(raw)
            if capacity == nil { errors.add(field: "capacity", message: "error.capacity_invalid") }
        }
        let online = fields["online_url"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return try await saveOrShowAgain(found: errors) {
            guard let startsAt, let endsAt else { return context.link(StaffPath.events) }  // not reached: their errors are in `found`
            let draft = EventDraft(
                title: fields["title"] ?? "",
                slug: fields["slug"],
                description: fields["description"] ?? "",
                startsAt: startsAt,
                endsAt: endsAt,
                timeZone: fields["time_zone"] ?? site.settings.timeZone.identifier,
                venue: fields["venue"] ?? "",
                address: fields["address"] ?? "",
                onlineURL: online.isEmpty ? nil : online,
                capacity: capacity,
                status: Event.Status(rawValue: fields["status"] ?? "") ?? .scheduled
            )
            let saved = if let event { try await site.events.update(event.requireID(), with: draft) } else { try await site.events.create(draft) }
            return context.link(StaffPath.event, try saved.requireID())
        } showAgain: { errors in
            try await eventEditor(event, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
