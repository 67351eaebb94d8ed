import CommonsOrganizing
import CommonsPrivacy
import Foundation
import Hummingbird

/// Stopping mailings from the link in each one (RFC 8058). `GET` shows one button in the reader's
/// language and changes nothing (mail scanners open links on their own); `POST` with
/// `List-Unsubscribe=One-Click` stops at once, with no sign-in and no CSRF token: the link's own
/// signed token is the proof.
struct UnsubscribeRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.unsubscribe) { _, context in
            let valid = supporterID(context) != nil
            return try await page(
                valid ? "unsubscribe.title" : "unsubscribe.invalid_title",
                valid ? "unsubscribe.text" : "unsubscribe.invalid_text",
                button: valid,
                context
            )
        }
        router.post(SitePath.unsubscribe) { request, context in
            guard let id = supporterID(context) else {
                return try await page("unsubscribe.invalid_title", "unsubscribe.invalid_text", button: false, status: .notFound, context)
            }
            let fields = try await request.formFields(context: context)
            guard fields["List-Unsubscribe"] == "One-Click" else {
                return try await page("unsubscribe.title", "unsubscribe.text", button: true, status: .badRequest, context)
            }
            // An unknown (deleted) supporter gets the same answer: there is nothing to stop.
            try await Subscriptions(clock: site.clock).stop(id, reason: .requested, on: site.database)
            return try await page("unsubscribe.done_title", "unsubscribe.done_text", button: false, context)
        }
    }

    private func supporterID(_ context: AppRequestContext) -> UUID? {
        guard let token = context.parameters.get("token"),
            let payload = SignedValue(keys: site.keys, purpose: "unsubscribe").verify(token)
        else { return nil }
        return UUID(uuidString: payload)
    }

    private func page(
        _ heading: String,
        _ text: String,
        button: Bool,
        status: HTTPResponse.Status = .ok,
        _ context: AppRequestContext
    ) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        return try await OneButtonPage(
            heading: heading,
            text: text,
            button: button ? "unsubscribe.button" : nil,
            hidden: ("List-Unsubscribe", "One-Click")
        ).render(path: SitePath.unsubscribe(token), action: context.link(SitePath.unsubscribe, token), status: status, site: site, context: context)
    }
}
