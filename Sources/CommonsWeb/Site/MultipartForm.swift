import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` body (a document upload): its text fields and its files.
struct MultipartForm {
    struct File {
        let fileName: String
        let bytes: Data
    }

    var fields: [String: String] = [:]
    var files: [String: File] = [:]

    /// The boundary of a multipart content type, or nil when the request is not multipart.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" {
                return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            }
        }
        return nil
    }

    static func parse(_ body: ByteBuffer, boundary: String) throws -> MultipartForm {
        var form = MultipartForm()
        let parser = MultipartParser(boundary: boundary)
        var disposition = ""
        var content = ByteBuffer()
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition" { disposition = value }
        }
        parser.onBody = { chunk in content.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let parameters = Self.parameters(of: disposition)
            if let name = parameters["name"] {
                if let fileName = parameters["filename"] {
                    if !fileName.isEmpty || content.readableBytes > 0 {
                        form.files[name] = File(fileName: fileName, bytes: Data(content.readableBytesView))
                    }
                } else if form.fields[name] == nil {
                    form.fields[name] = String(buffer: content)
                }
            }
            disposition = ""
            content = ByteBuffer()
        }
        try parser.execute(body)
        return form
    }

    /// `form-data; name="file"; filename="a.pdf"` → `["name": "file", "filename": "a.pdf"]`.
    static func parameters(of disposition: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in disposition.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return result
    }
}
