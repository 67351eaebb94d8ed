import Foundation
import Hummingbird
import Mustache

/// The site's Mustache templates, loaded once at start-up.
///
/// `{{value}}` escapes text and attribute values; `{{{value}}}` is kept for HTML our own
/// Markdown renderer produced, and a test lists every template that uses it.
public struct Views: Sendable {
    let library: MustacheLibrary

    public init(directory: URL) async throws {
        library = try await MustacheLibrary(directory: directory.path)
    }

    /// Renders a page model with its template; a missing template is a programming error caught by tests.
    func render(_ template: String, _ model: Any) -> String {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("No template named \(template)")
        }
        return html
    }

    /// An HTML response.
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        document(template, model, contentType: "text/html; charset=utf-8", status: status)
    }

    /// Any rendered text: HTML, RSS, a sitemap.
    func document(_ template: String, _ model: Any, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        let text = render(template, model)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
