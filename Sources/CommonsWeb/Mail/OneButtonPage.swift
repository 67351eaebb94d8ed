import Foundation
import Hummingbird

/// The page a link from an email opens: a heading, a sentence and at most one button that
/// POSTs back to the same link. GET changes nothing (mail scanners open links on their own);
/// the link's signed token is the proof, so no sign-in and no form token. Never cached.
struct OneButtonPage {
    /// Catalog keys; the text may use `{site}`.
    let heading: String
    let text: String
    /// The button's catalog key; nil for no button.
    let button: String?
    /// A field the button's form sends.
    var hidden: (name: String, value: String)? = nil
    /// Values for the text's placeholders besides `{site}`.
    var values: [String: String] = [:]

    struct Model {
        let layout: Layout
        let heading: String
        let text: String
        let showButton: Bool
        let action: String
        let button: String
        let hiddenName: String?
        let hiddenValue: String?
        let homeURL: String
        let homeLabel: String
    }

    func render(path: String, action: String, status: HTTPResponse.Status = .ok, site: Site, context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let name = try await site.siteName()
        let layout = try await site.layout(PageMeta(title: strings[heading], path: path), context: context)
        let model = Model(
            layout: layout,
            heading: strings[heading],
            text: strings.format(text, values.merging(["site": name]) { mine, _ in mine }),
            showButton: button != nil,
            action: action,
            button: button.map { strings[$0] } ?? "",
            hiddenName: hidden?.name,
            hiddenValue: hidden?.value,
            homeURL: context.link(SitePath.home),
            homeLabel: strings["page.home_link"]
        )
        var response = site.views.page(.oneButton, model, status: status)
        response.headers[.cacheControl] = "private, no-store"
        return response
    }
}
