import CommonsContent
import CommonsImages
import Foundation
import Hummingbird

/// `/images/SHA256-WIDTH.webp|jpg`: a picture's resized copy; `/site-files/SHA256.svg`: the
/// site's logo or link-preview picture. Each address names the bytes, so an answer never
/// changes and browsers keep it for a year.
struct ImageRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.image) { request, context in
            let name = try context.parameters.require("name")
            guard let (sha256, width, format) = Self.parse(name),
                let copy = try await site.images.variant(of: sha256, width: width, format: format)
            else { throw SiteError.notFound }
            var headers = HTTPFields()
            headers[.contentType] = format.contentType
            headers[.cacheControl] = "public, max-age=31536000, immutable"
            headers[.eTag] = "\"\(sha256.prefix(16))-\(width)-\(format.rawValue)\""
            if request.headers[.ifNoneMatch] == headers[.eTag] { return Response(status: .notModified, headers: headers) }
            headers[.contentLength] = String(copy.bytes.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: copy.bytes)))
        }
        router.get(SitePath.siteFile) { _, context in
            let name = try context.parameters.require("name")
            // Only the logo and the social image in use: other stored files are documents' own.
            let look = SiteSettings.look(try await site.siteSettings.all())
            guard name == look.logo || name == look.socialImage, let type = LogoFile.contentType(ofName: name),
                let file = try await StoredFile.find(String(name.prefix(64)), on: site.database)
            else { throw SiteError.notFound }
            var response = Self.logo(file.bytes, contentType: type)
            response.headers[.cacheControl] = "public, max-age=31536000, immutable"
            return response
        }
    }

    /// A logo as stored (an image checked by its first bytes, or an SVG of shapes only), served
    /// with a policy that lets nothing in it run even when opened on its own.
    static func logo(_ bytes: Data, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
        headers[.contentDisposition] = "inline"
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `SHA256-WIDTH.EXT` with 64 lowercase hex digits, a width of at most five digits and
    /// `webp` or `jpg`; nil for anything else, before the database is asked.
    static func parse(_ name: String) -> (sha256: String, width: Int, format: ImageFormat)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let format = ImageFormat(fileExtension: String(parts[1])) else { return nil }
        let stem = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard stem.count == 2, stem[0].utf8.count == 64, stem[0].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            (1...5).contains(stem[1].utf8.count), stem[1].utf8.allSatisfy({ (48...57).contains($0) }), let width = Int(stem[1])
        else { return nil }
        return (String(stem[0]), width, format)
    }
}
