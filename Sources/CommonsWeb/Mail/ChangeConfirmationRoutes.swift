import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The link in the message to the address on file when a form asked to change a record or to
/// turn email news on (see `ChangeConfirmations`). GET shows what the button will do; only the
/// POST from the button applies it.
struct ChangeConfirmationRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.confirmChange) { _, context in
            let link = try await confirmations.look(token(context))
            return try await page(for: link, context)
        }
        router.post(SitePath.confirmChange) { _, context in
            do {
                let link = try await confirmations.confirm(token(context))
                return try await page(for: link, done: true, context)
            } catch is ValidationErrors {
                return try await page("confirm.title", "confirm.conflict_text", status: .conflict, context)
            }
        }
    }

    private var confirmations: ChangeConfirmations { ChangeConfirmations(database: site.database, keys: site.keys, clock: site.clock) }

    private func token(_ context: AppRequestContext) -> String { context.parameters.get("token") ?? "" }

    private func page(for link: ChangeConfirmations.Link, done: Bool = false, _ context: AppRequestContext) async throws -> Response {
        switch link {
        case .waiting(let fields, let emailOptIn):
            let strings = site.strings(context.language)
            let labels = fields.map { strings["form.\($0.rawValue)"] }.joined(separator: ", ")
            let text =
                fields.isEmpty ? "confirm.optin_text" : emailOptIn ? "confirm.change_and_optin_text" : "confirm.change_text"
            return try await page("confirm.title", text, button: "confirm.button", values: ["fields": labels], context)
        case .confirmed:
            return try await page("confirm.done_title", done ? "confirm.done_text" : "confirm.used_text", context)
        case .expired:
            return try await page("confirm.expired_title", "confirm.expired_text", status: .gone, context)
        case .invalid:
            return try await page("confirm.invalid_title", "confirm.invalid_text", status: .notFound, context)
        }
    }

    private func page(
        _ heading: String,
        _ text: String,
        button: String? = nil,
        values: [String: String] = [:],
        status: HTTPResponse.Status = .ok,
        _ context: AppRequestContext
    ) async throws -> Response {
        let token = token(context)
        return try await OneButtonPage(heading: heading, text: text, button: button, values: values)
            .render(
                path: SitePath.confirmChange(token),
                action: context.link(SitePath.confirmChange, token),
                status: status,
                site: site,
                context: context
            )
    }
}
