import Foundation
import Hummingbird

/// `/healthz` and the fingerprinted assets.
struct SystemRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.Pattern.health) { _, _ in await health() }
        router.get(SitePath.Pattern.asset) { request, _ in try asset(path: request.uri.path) }
    }

    /// 200 after a real query; 503 when the database does not answer.
    func health() async -> Response {
        let kind = site.store.location.kindName
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        do {
            try await site.store.ping()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","database":"\#(kind)"}"#)))
        } catch {
            return Response(
                status: .serviceUnavailable,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"unavailable","database":"\#(kind)"}"#))
            )
        }
    }

    func asset(path: String) throws -> Response {
        guard let asset = site.assets.byPath[path] else { throw SiteError.notFound }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
