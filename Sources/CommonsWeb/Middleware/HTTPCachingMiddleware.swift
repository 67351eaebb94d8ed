import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Public pages revalidate instead of downloading again, and text travels compressed:
/// a strong ETag (SHA-256 of the bytes sent) answers `If-None-Match` with 304, and gzip is
/// used when the client accepts it. Pages that are private or never stored are left alone.
struct HTTPCachingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Smaller bodies gain nothing from gzip.
    static let minimumCompressedSize = 860
    static let textTypes = ["text/html", "text/css", "text/plain", "text/calendar", "application/rss+xml", "application/xml", "application/json"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard request.method == .get, response.status == .ok, response.headers[.contentEncoding] == nil,
            let type = response.headers[.contentType], Self.textTypes.contains(where: type.hasPrefix)
        else { return response }
        let cacheControl = response.headers[.cacheControl]
        if let cacheControl, cacheControl.contains("no-store") || cacheControl.contains("private") { return response }

        var body = try await Self.collect(response.body)
        var headers = response.headers
        headers[.vary] = "Accept-Encoding"
        let gzip = Self.acceptsGzip(request.headers[.acceptEncoding]) && body.readableBytes >= Self.minimumCompressedSize
        let digest = SHA256.hash(data: Data(body.readableBytesView)).prefix(16).map { String(format: "%02x", $0) }.joined()
        // Each representation has its own strong ETag.
        let etag = "\"\(digest)\(gzip ? "-gz" : "")\""
        headers[.eTag] = etag
        if cacheControl == nil { headers[.cacheControl] = "public, max-age=0, must-revalidate" }
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*"
            })
        {
            headers[.contentLength] = nil
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        if gzip {
            body = try body.compress(with: .gzip())
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// `gzip` listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            return !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = Collector()
        try await body.write(collector)
        return collector.storage.buffer
    }

    /// Gathers a response body in memory; our pages are built as one buffer anyway.
    struct Collector: ResponseBodyWriter {
        final class Storage: @unchecked Sendable {
            var buffer = ByteBuffer()
        }
        let storage = Storage()

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            storage.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
