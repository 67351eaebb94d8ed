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
        if let range = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            guard let (start, end) = parseRange(range, length: bytes.count) else {
                headers[.contentRange] = "bytes */\(bytes.count)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            headers[.contentRange] = "bytes \(start)-\(end)/\(bytes.count)"
            headers[.contentLength] = String(end - start + 1)
            let slice = bytes.subdata(in: (bytes.startIndex + start)..<(bytes.startIndex + end + 1))
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: slice)))
        }
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`, clamped to the file; nil when unsatisfiable.
    /// Several ranges at once are answered with the first only, which RFC 9110 allows.
    static func parseRange(_ header: String, length: Int) -> (Int, Int)? {
        guard header.hasPrefix("bytes="), length > 0 else { return nil }
        let first = header.dropFirst(6).split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let parts = first.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            return (max(0, length - suffix), length - 1)
        }
        guard let start = Int(parts[0]), start < length else { return nil }
        let end = parts[1].isEmpty ? length - 1 : min(Int(parts[1]) ?? -1, length - 1)
        guard end >= start else { return nil }
        return (start, end)
    }
}
