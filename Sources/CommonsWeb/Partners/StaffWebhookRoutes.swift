import CommonsCore
import CommonsPartners
import Foundation
import Hummingbird

/// Webhooks, for admins: register an address and its events (the signing secret shown once),
/// follow each one's deliveries, see why one was turned off, turn it on again, remove it.
struct StaffWebhookRoutes {
    typealias Context = StaffContext<AdministrationArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.webhooks) { _, context in try await list(context) }
        group.post(StaffPath.webhooks) { request, context in try await site.stepUp(request, context) { try await create(context) } }
        group.get(StaffPath.webhook) { _, context in try await show(context) }
        group.post(StaffPath.webhookEnable) { _, context in
            let id = try context.parameters.uuid("id")
            try await directory.enable(id, by: .staff(context.staff.accountID))
            return Response.redirect(to: context.link(StaffPath.webhook, id), type: .normal)
        }
        group.post(StaffPath.webhookDelete) { _, context in
            try await directory.delete(try context.parameters.uuid("id"), by: .staff(context.staff.accountID))
            return Response.redirect(to: context.link(StaffPath.webhooks), type: .normal)
        }
    }

    /// Each event's checkbox: `event_person_created`.
    static func fieldName(_ event: WebhookEvent) -> String { "event_" + event.rawValue.replacingOccurrences(of: ".", with: "_") }

    var directory: WebhookDirectory {
        WebhookDirectory(database: site.database, keys: site.keys, clock: site.clock, allowLocal: site.settings.webhookAllowLocal)
    }

    struct ListPage {
        struct Row {
            let url: String
            let link: String
            let events: String
            let status: String
        }

        struct EventChoice {
            let label: String
            let name: String
            let checked: Bool
        }

        let layout: StaffLayout
        let addURL: String
        let rows: [Row]
        let events: [EventChoice]
        let values: [String: String]
        let errors: [String: String]
        let hasErrors: Bool
        let newSecret: String?
        let newURL: String?
    }

    func create(_ context: Context) async throws -> Response {
        let form = context.form
        let chosen = Set(WebhookEvent.allCases.filter { form.fields[Self.fieldName($0)] == "yes" })
        do {
            let made = try await directory.register(url: form.fields["url"] ?? "", events: chosen, by: .staff(context.staff.accountID))
            return try await list(context, secret: made.secret, url: made.webhook.url)
        } catch let errors as ValidationErrors {
            return try await list(context, values: form.fields, chosen: chosen, errors: errors, status: .unprocessableContent)
        }
    }

    func list(
        _ context: Context,
        values: [String: String] = [:],
        chosen: Set<WebhookEvent> = [],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        secret: String? = nil,
        url: String? = nil
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await directory.all().map { hook in
            ListPage.Row(
                url: hook.url,
                link: context.link(StaffPath.webhook, hook.id!),
                events: WebhookEvent.allCases.filter(hook.events.contains).map(\.rawValue).joined(separator: ", "),
                status: strings[hook.active ? "staff.webhook_active" : "staff.webhook_disabled"]
            )
        }
        let messages = StaffFormPage.messages(errors, strings)
        let model = ListPage(
            layout: try await site.staffLayout(
                title: strings["staff.nav_webhooks"],
                path: context.link(StaffPath.webhooks),
                staff: context.staff,
                language: context.language
            ),
            addURL: context.link(StaffPath.webhooks),
            rows: rows,
            events: WebhookEvent.allCases.map {
                .init(label: $0.rawValue, name: Self.fieldName($0), checked: chosen.contains($0))
            },
            values: values,
            errors: messages,
            hasErrors: !errors.isEmpty,
            newSecret: secret,
            newURL: url
        )
        return site.views.page(.staffWebhooks, model, status: status)
    }

    struct ShowPage {
        struct Row {
            let at: String
            let atISO: String
            let event: String
            let status: String
            let attempts: Int
            let code: String
            let error: String
        }

        let layout: StaffLayout
        let url: String
        let events: String
        let isActive: Bool
        let disabledReason: String?
        let disabledAt: String?
        let failingSince: String?
        let rows: [Row]
        let enableURL: String
        let deleteURL: String
        let backURL: String
    }

    func show(_ context: Context) async throws -> Response {
        let id = try context.parameters.uuid("id")
        guard let hook = try await directory.webhook(id) else { throw SiteError.notFound }
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let iso = ISO8601DateFormatter()
        let rows = try await directory.deliveries(of: id).map { delivery in
            ShowPage.Row(
                at: formatting.dateTime(delivery.createdAt),
                atISO: iso.string(from: delivery.createdAt),
                event: delivery.event.rawValue,
                status: strings["staff.webhook_delivery_\(delivery.status.rawValue)"],
                attempts: delivery.attempts,
                code: delivery.responseCode.map(String.init) ?? "–",
                error: delivery.lastError ?? ""
            )
        }
        let model = ShowPage(
            layout: try await site.staffLayout(
                title: hook.url,
                path: context.link(StaffPath.webhooks),
                staff: context.staff,
                language: context.language
            ),
            url: hook.url,
            events: WebhookEvent.allCases.filter(hook.events.contains).map(\.rawValue).joined(separator: ", "),
            isActive: hook.active,
            disabledReason: hook.disabledReason,
            disabledAt: hook.disabledAt.map { formatting.dateTime($0) },
            failingSince: hook.failingSince.map { formatting.dateTime($0) },
            rows: rows,
            enableURL: context.link(StaffPath.webhookEnable, id),
            deleteURL: context.link(StaffPath.webhookDelete, id),
            backURL: context.link(StaffPath.webhooks)
        )
        return site.views.page(.staffWebhook, model)
    }
}
