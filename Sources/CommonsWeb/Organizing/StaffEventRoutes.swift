import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The event editor: create, edit, cancel; when and where, capacity, the online link.
struct StaffEventRoutes {
    typealias Context = StaffContext<OrganizingArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.events) { _, context in try await eventList(context) }
        group.get(StaffPath.newEvent) { _, context in
            try await eventEditor(nil, values: ["time_zone": site.settings.timeZone.identifier, "status": "scheduled"], context)
        }
        group.post(StaffPath.events) { request, context in try await saveEvent(nil, request, context) }
        group.get(StaffPath.event) { _, context in
            let event = try await event(context)
            let cosponsors = site.cosponsorValues(try await site.coalition.cosponsors(ofEvent: event.requireID()))
            return try await eventEditor(event, values: values(of: event).merging(cosponsors) { $1 }, context)
        }
        group.post(StaffPath.event) { request, context in try await saveEvent(try await event(context), request, context) }
    }

    func event(_ context: Context) async throws -> Event {
        guard let event = try await site.events.event(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return event
    }

    func values(of event: Event) -> [String: String] {
        [
            "title": event.title, "slug": event.slug, "description": event.description,
            "starts_at": LocalDateTime.format(event.startsAt, in: TimeZone(identifier: event.timeZone) ?? site.settings.timeZone),
            "ends_at": LocalDateTime.format(event.endsAt, in: TimeZone(identifier: event.timeZone) ?? site.settings.timeZone),
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
        let fields =
            [
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
                StaffField(
                    "capacity",
                    .number,
                    label: strings["staff.capacity"],
                    hint: strings["staff.capacity_hint"],
                    values: values,
                    errors: messages
                ),
                StaffField(
                    "description",
                    .textarea(rows: 8),
                    label: strings["staff.description"],
                    hint: strings["staff.body_hint"],
                    values: values,
                    errors: messages
                ),
            ] + (try await site.cosponsorFields(values: values, strings: strings))
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.events,
            action: event.map { context.link(StaffPath.event, $0.id!) } ?? context.link(StaffPath.events),
            fields: fields,
            errors: errors,
            status: status,
            publicURL: event.map { SitePath.event(in: context.language, $0.slug) },
            translated: (.event, event?.id),
            context
        )
    }

    func saveEvent(_ event: Event?, _ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        let zone = TimeZone(identifier: fields["time_zone"] ?? "") ?? site.settings.timeZone
        func date(_ name: String) -> Date? {
            guard let value = fields[name], let date = LocalDateTime.parse(value, in: zone) else {
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
                status: Event.Status(rawValue: fields["status"] ?? "") ?? .scheduled,
                cosponsors: try await site.cosponsorsTicked(fields)
            )
            let saved = if let event { try await site.events.update(event.requireID(), with: draft) } else { try await site.events.create(draft) }
            return context.link(StaffPath.event, try saved.requireID())
        } showAgain: { errors in
            try await eventEditor(event, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
