import CommonsContent
import Foundation
import Hummingbird

/// A document's bytes as browsers and download managers expect them: its real type, a strong
/// ETag (its SHA-256), inline or attachment by type, and single byte ranges.
enum FileResponse {
    static func make(for request: Request, bytes: Data, document: Document) -> Response {
        let etag = "\"\(document.sha256)\""
        let type = FileType(contentType: document.contentType)
        var headers = HTTPFields()
        headers[.contentType] = document.contentType
        headers[.eTag] = etag
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "public, max-age=300, must-revalidate"
        headers[.xContentTypeOptions] = "nosniff"
        let disposition = type?.opensInline == true ? "inline" : "attachment"
        headers[.contentDisposition] = "\(disposition); filename=\"\(document.fileName)\""

        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        if let header = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            switch ByteRange.parse(header, length: bytes.count) {
            case .ignored:
                break
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(bytes.count)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            case .bytes(let start, let end):
                headers[.contentRange] = "bytes \(start)-\(end)/\(bytes.count)"
                headers[.contentLength] = String(end - start + 1)
                let slice = bytes.subdata(in: (bytes.startIndex + start)..<(bytes.startIndex + end + 1))
                return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: slice)))
            }
        }
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
