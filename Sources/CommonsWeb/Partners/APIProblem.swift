import CommonsAccounts
import CommonsCore
import Foundation
import Hummingbird

/// An answer of the API that is not what was asked for, sent as an RFC 9457 problem document
/// (`application/problem+json`) with `status`, `title`, `detail` and, for 422, the field errors.
struct APIProblem: Error {
    struct FieldError: Encodable {
        /// Where in the request body: `person.email_addresses`.
        let field: String
        /// The problem in words (English: an API's reader is a program's author).
        let message: String
        /// The string-catalog key, stable for programs to match on.
        let code: String
    }

    let status: HTTPResponse.Status
    let detail: String
    var errors: [FieldError] = []
    var retryAfter: Int?

    static func badRequest(_ detail: String) -> APIProblem { APIProblem(status: .badRequest, detail: detail) }
    static let notFound = APIProblem(status: .notFound, detail: "There is no such resource.")
    static let unauthorized = APIProblem(status: .unauthorized, detail: "Send a valid token in the OSDI-API-Token header.")
    static func forbidden(_ detail: String) -> APIProblem { APIProblem(status: .forbidden, detail: detail) }
    static func conflict(_ detail: String) -> APIProblem { APIProblem(status: .conflict, detail: detail) }

    var response: Response {
        struct Document: Encodable {
            let type = "about:blank"
            let title: String
            let status: Int
            let detail: String
            let errors: [FieldError]?
        }
        let document = Document(title: status.reasonPhrase, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors)
        var response = APIResponse.json(document, status: status, contentType: "application/problem+json")
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "OSDI-API-Token" }
        return response
    }
}

/// JSON answers of the API: sorted keys (the same record is the same bytes), never cached.
enum APIResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/hal+json") -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// Answers every error on an `/api/` address with a problem document instead of a page, the
/// router's own 404 and 405 included. Other addresses pass through untouched.
struct APIProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let strings: StringCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(APIPath.prefix) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return problem.response
        } catch let errors as ValidationErrors {
            return APIProblem(
                status: .unprocessableContent,
                detail: "The request has invalid fields.",
                errors: errors.fields.compactMap { field in
                    errors[field].map { .init(field: APIInput.path(ofFormField: field), message: strings[$0], code: $0) }
                }
            ).response
        } catch is any NotFoundError {
            return APIProblem.notFound.response
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return APIProblem.notFound.response
        } catch is BodyTooLarge {
            var response = APIProblem(status: .contentTooLarge, detail: "The body is larger than 64 KB.").response
            response.headers[.connection] = "close"
            return response
        } catch let error as any HTTPResponseError where error.status != .internalServerError {
            return APIProblem(status: error.status, detail: error.status.reasonPhrase).response
        } catch is CancellationError {
            return Response(status: .serviceUnavailable, headers: [.connection: "close", .retryAfter: "5"])
        } catch {
            context.logger.error("API request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return APIProblem(status: .internalServerError, detail: "The server could not answer this request.").response
        }
    }
}
