import CommonsCore
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error a handler throws into a page in the reader's language, in one place.
/// Production error pages never show stack traces, SQL, file paths or secrets.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let site: Site

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch SiteError.notFound {
            return try await page(.notFound, context: context)
        } catch is any NotFoundError {
            // Any concern's "no such item", matched here once (an item deleted meanwhile too).
            return try await page(.notFound, context: context)
        } catch SiteError.gone {
            return try await page(.gone, context: context)
        } catch StaffAccessError.notSignedIn {
            if request.method == .get || request.method == .head { return Response.redirect(to: context.link(StaffPath.login), type: .normal) }
            return try await page(.unauthorized, context: context)
        } catch StaffAccessError.twoFactorRequired {
            if request.method == .get || request.method == .head {
                return Response.redirect(to: context.link(StaffPath.twoFactor), type: .normal)
            }
            return try await page(.forbidden, context: context, textKey: "staff.two_factor_required")
        } catch StaffAccessError.forbidden {
            return try await page(.forbidden, context: context)
        } catch StaffAccessError.badCSRFToken {
            return try await page(.forbidden, context: context, textKey: "page.csrf_text")
        } catch let error as HTTPError where error.status == .notFound {
            return try await page(.notFound, context: context)
        } catch is BodyTooLarge {
            // Declared too large: the page says what the limits are, and the connection closes
            // rather than read the rest of the body.
            var response = try await page(.contentTooLarge, context: context)
            response.headers[.connection] = "close"
            return response
        } catch is HTTPParserError {
            // A malformed body (bad chunk sizes) found while reading it: the client's fault.
            var response = try await page(.badRequest, context: context)
            response.headers[.connection] = "close"
            return response
        } catch is CancellationError {
            // The server is stopping and its grace period is over: not a fault of the request.
            return Response(status: .serviceUnavailable, headers: [.connection: "close", .retryAfter: "5"])
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // A body over the limit (NIO's "too many bytes"): a page that says what the limits are.
            return try await page(.contentTooLarge, context: context)
        } catch let error as any HTTPResponseError where error.status != .internalServerError {
            // Hummingbird's own answers (405, 413, a malformed request): keep their status, plain text.
            return try error.response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return try await page(.internalServerError, context: context)
        }
    }

    private func page(_ status: HTTPResponse.Status, context: Context, textKey override: String? = nil) async throws -> Response {
        let strings = site.strings(context.language)
        var (titleKey, textKey): (String, String) =
            switch status {
            case .notFound: ("page.not_found_title", "page.not_found_text")
            case .gone: ("page.gone_title", "page.gone_text")
            case .unauthorized: ("page.unauthorized_title", "page.unauthorized_text")
            case .forbidden: ("page.forbidden_title", "page.forbidden_text")
            case .contentTooLarge: ("page.too_large_title", "page.too_large_text")
            case .methodNotAllowed: ("page.method_title", "page.method_text")
            case .badRequest: ("page.bad_request_title", "page.bad_request_text")
            default: ("page.error_title", "page.error_text")
            }
        if let override { textKey = override }
        let layout: Layout
        do {
            layout = try await site.layout(PageMeta(title: strings[titleKey], path: "/"), context: context)
        } catch {
            // The database itself may be what failed: a bare page still answers.
            return Response(
                status: status,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: strings[titleKey] + "\n" + strings[textKey] + "\n"))
            )
        }
        let model = ErrorPage(
            layout: layout,
            heading: strings[titleKey],
            text: strings[textKey],
            homeURL: context.link(SitePath.home),
            newsURL: context.link(SitePath.news)
        )
        var response = site.views.page(.error, model, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
