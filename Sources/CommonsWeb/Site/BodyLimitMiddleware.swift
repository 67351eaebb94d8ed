import Hummingbird

/// Refuses a request whose declared body is larger than its route accepts before a byte of it
/// is read: 413 with `Connection: close`, so a client announcing a gigabyte cannot hold a
/// connection while it trickles in. Bodies without a length (chunked) are still capped as
/// they are read (`collect(upTo:)`).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The staff screens that take files: documents, datasets (a CSV and a map of a few MB),
    /// member organizations' logos. Each checks its own file's size; the body as a whole is capped here.
    static let uploadScreens = [StaffPath.documents(), StaffPath.datasets(), StaffPath.members(), StaffPath.settings()]

    /// Uploads (multipart posts to a screen that takes files) may be as large as a document;
    /// every other body is a small form.
    static func limit(for request: Request, context: Context) -> Int {
        let multipart = MultipartForm.boundary(of: request.headers[.contentType]) != nil
        let path = request.uri.path
        return multipart && uploadScreens.contains(where: { path.hasPrefix($0) }) ? StaffSessionMiddleware.uploadLimit : context.maxUploadSize
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let raw = request.headers[.contentLength] {
            // Not a number at all is as bad as too large: NIO would refuse it anyway.
            let declared = raw.utf8.count <= 18 ? Int(raw) : nil
            if declared.map({ $0 > Self.limit(for: request, context: context) }) ?? true {
                throw BodyTooLarge()
            }
        }
        return try await next(request, context)
    }
}

/// A body over its route's limit, known from its declared length: answered 413 and the connection closed.
struct BodyTooLarge: HTTPResponseError {
    var status: HTTPResponse.Status { .contentTooLarge }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .contentTooLarge, headers: [.connection: "close", .contentLength: "0"])
    }
}
