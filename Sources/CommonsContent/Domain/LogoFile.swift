import CommonsCore
import Crypto
import FluentKit
import Foundation

/// A logo or a small picture an editor uploads for the site or a member: a PNG, JPEG or WebP
/// as it is, or an SVG kept to its shapes (`SVGSanitizer`), so it can never carry a script.
public struct LogoFile: Sendable, Equatable {
    public let bytes: Data
    public let contentType: String

    /// The file as it will be served; nil for anything else.
    public static func check(_ bytes: [UInt8], allowsSVG: Bool = true) -> LogoFile? {
        if let type = FileType.sniff(Data(bytes.prefix(16))), type.isPicture {
            return LogoFile(bytes: Data(bytes), contentType: type.contentType)
        }
        if allowsSVG, let svg = SVGSanitizer.sanitize(bytes) { return LogoFile(bytes: Data(svg.utf8), contentType: "image/svg+xml") }
        return nil
    }

    /// The same check for a form's field: too large or of another kind is an error on `field`.
    static func check(_ bytes: [UInt8], limit: Int, field: String, allowsSVG: Bool = true, errors: inout ValidationErrors) -> LogoFile? {
        if bytes.count > limit {
            errors.add(field: field, message: "error.logo_too_large")
            return nil
        }
        guard let file = check(bytes, allowsSVG: allowsSVG) else {
            errors.add(field: field, message: allowsSVG ? "error.logo_type" : "error.social_image_type")
            return nil
        }
        return file
    }

    /// `svg`, `png`, `jpg` or `webp`.
    public var fileExtension: String {
        contentType == "image/svg+xml" ? "svg" : (FileType(contentType: contentType)?.fileExtension ?? "bin")
    }

    /// The media type a stored file's name (`SHA256.svg`) stands for; nil for any other name.
    public static func contentType(ofName name: String) -> String? {
        guard let ending = name.split(separator: ".").last else { return nil }
        if ending == "svg" { return "image/svg+xml" }
        return FileType.allCases.first { $0.isPicture && $0.fileExtension == ending }?.contentType
    }

    /// Stores the bytes once, named by their SHA-256, and returns the file's name: `SHA256.svg`.
    func store(on db: any Database) async throws -> String {
        let sha256 = Hex.string(SHA256.hash(data: bytes))
        try await StoredFile.keep(bytes, sha256: sha256, contentType: contentType, on: db)
        return "\(sha256).\(fileExtension)"
    }
}
