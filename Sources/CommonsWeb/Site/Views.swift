import CommonsContent
import CommonsCore
import Foundation
import Hummingbird
import Mustache

/// The site's Mustache templates, loaded once at start-up.
///
/// `{{value}}` escapes text and attribute values; `{{{value}}}` is kept for HTML our own
/// Markdown renderer produced, and a test lists every template that uses it.
public struct Views: Sendable {
    let library: MustacheLibrary

    /// Loads every template and checks that each one the code names is there: a missing one
    /// stops the server at start, with its name, rather than failing the first page that needs it.
    public init(directory: URL) async throws {
        library = try await MustacheLibrary(directory: directory.path)
        let missing = Template.allCases.filter { library.getTemplate(named: $0.rawValue) == nil }
        guard missing.isEmpty else { throw ViewsError.missingTemplates(missing.map(\.rawValue), in: directory.path) }
    }

    /// Renders a page model with its template, which `init` found.
    func render(_ template: Template, _ model: Any) -> String {
        library.render(Self.prepared(model) ?? model, withTemplate: template.rawValue) ?? ""
    }

    /// An HTML response.
    func page(_ template: Template, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        document(template, model, contentType: "text/html; charset=utf-8", status: status)
    }

    /// Any rendered text: HTML, RSS, a sitemap. An XML document loses the characters XML
    /// cannot hold (a control character pasted into a title would make the whole feed unreadable).
    func document(_ template: Template, _ model: Any, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        let rendered = render(template, model)
        let text = contentType.contains("xml") ? XMLText.removingIllegal(rendered) : rendered
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The model as nested dictionaries and arrays. Mustache looks a name up with `Mirror` on
    /// every use, scanning all of a struct's fields and then each enclosing context's: on a
    /// page with lists and the string catalog that made rendering cost milliseconds. Reflecting
    /// each of our structs once, here, turns every later lookup into a dictionary read. Nil
    /// fields are left out, which Mustache treats exactly as it treats nil (it looks further
    /// up the context stack); values of other types (Bool, Date) are kept as they are, and
    /// strings lose any quote fused with a combining mark (`HTMLText.unfusingMarkup`).
    static func prepared(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { prepared($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { prepared($0.value) }
        case .dictionary:
            guard let dictionary = value as? [String: Any] else { return value }
            return dictionary.compactMapValues { prepared($0) }
        case .struct, .class:
            guard _typeName(type(of: value), qualified: true).hasPrefix("Commons") else { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let field = prepared(child.value) { fields[label] = field }
            }
            return fields
        default:
            // Every string a template prints passes here: none may hide a quote from Mustache's escaper.
            if let text = value as? String { return HTMLText.unfusingMarkup(text) }
            return value
        }
    }
}

/// Every template the code renders, and the partials they use: checked at start-up.
enum Template: String, CaseIterable, Sendable {
    case actionForm = "action-form"
    case formFields = "form-fields"
    case picture = "picture"
    case campaignShow = "campaign-show"
    case documentList = "document-list"
    case documentShow = "document-show"
    case datasetList = "dataset-list"
    case datasetShow = "dataset-show"
    case error = "error"
    case embedLayout = "embed-layout"
    case embedCampaign = "embed-campaign"
    case embedEvent = "embed-event"
    case embedThanks = "embed-thanks"
    case coalitionList = "coalition-list"
    case memberShow = "member-show"
    case myData = "my-data"
    case eventList = "event-list"
    case eventShow = "event-show"
    case home = "home"
    case layout = "layout"
    case newsList = "news-list"
    case pageShow = "page-show"
    case postShow = "post-show"
    case privacy = "privacy"
    case rss = "rss"
    case search = "search"
    case staffLayout = "staff-layout"
    case staffAccounts = "staff/accounts"
    case staffAPITokens = "staff/api-tokens"
    case staffWebhooks = "staff/webhooks"
    case staffWebhook = "staff/webhook"
    case staffAudit = "staff/audit"
    case staffConfirmDelete = "staff/confirm-delete"
    case staffDashboard = "staff/dashboard"
    case staffForm = "staff/form"
    case staffList = "staff/list"
    case staffAccountNavigation = "staff/account-nav"
    case staffLogin = "staff/login"
    case staffLoginCode = "staff/login-code"
    case staffTwoFactor = "staff/two-factor"
    case staffSessions = "staff/sessions"
    case staffPassword = "staff/password"
    case staffStepUp = "staff/step-up"
    case staffPostEditor = "staff/post-editor"
    case staffPosts = "staff/posts"
    case staffRevisions = "staff/revisions"
    case staffSupporter = "staff/supporter"
    case staffSupporters = "staff/supporters"
    case staffTranslations = "staff/translations"
    case thanks = "thanks"
    /// A page with a heading, a sentence and at most one button (unsubscribe, confirm a change).
    case oneButton = "one_button"
}

enum ViewsError: Error, CustomStringConvertible {
    case missingTemplates([String], in: String)

    var description: String {
        switch self {
        case .missingTemplates(let names, let folder): "Templates missing from \(folder): \(names.joined(separator: ", ")) (.mustache)."
        }
    }
}
