import CVips
import Foundation
import NIOPosix

/// The two encodings every picture is served in: WebP where the browser takes it, JPEG elsewhere.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case webp
    case jpeg

    public var contentType: String { self == .webp ? "image/webp" : "image/jpeg" }
    public var fileExtension: String { self == .webp ? "webp" : "jpg" }

    public init?(fileExtension: String) {
        switch fileExtension {
        case "webp": self = .webp
        case "jpg": self = .jpeg
        default: return nil
        }
    }
}

/// One resized copy of a picture.
public struct ResizedImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let format: ImageFormat
    public let bytes: Data
}

/// Why a picture could not be resized; both are the uploader's to fix.
public enum ImageProblem: Error, Equatable {
    /// Not a PNG, JPEG or WebP that decodes.
    case unreadable
    /// More pixels than `ImageResizer.maximumPixels`.
    case tooLarge
}

/// Resizes uploaded pictures with libvips (Debian's libvips-dev) into the few widths pages ask
/// for, each as WebP and JPEG, upright and stripped of metadata. The work runs on NIO's
/// blocking thread pool, never on the threads that answer requests.
public enum ImageResizer {
    /// The widths pages offer in `srcset`: a phone, a tablet or half a desktop, a wide screen.
    public static let widths = [480, 960, 1600]
    /// 50 megapixels: a large camera photo. A bigger (or a forged) header is refused before
    /// anything is decoded, so a small file cannot ask for gigabytes.
    public static let maximumPixels = 50_000_000
    static let quality: (webp: Int32, jpeg: Int32) = (78, 82)

    private static let started: Bool = commons_vips_start() == 0

    /// The widths to make for a picture `width` pixels wide: each standard width narrower than
    /// it, and the picture's own width when it is narrower than the widest.
    public static func targetWidths(forOriginalWidth width: Int) -> [Int] {
        var targets = widths.filter { $0 < width }
        if width <= widths.last! { targets.append(width) }
        return targets
    }

    /// Every width in both formats, narrowest first.
    public static func variants(of bytes: Data) async throws -> [ResizedImage] {
        try await NIOThreadPool.singleton.runIfActive { try resize(bytes) }
    }

    /// The same work, on the calling thread.
    public static func resize(_ bytes: Data) throws -> [ResizedImage] {
        guard started else { throw ImageProblem.unreadable }
        return try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) throws -> [ResizedImage] in
            guard let base = buffer.baseAddress, buffer.count > 0 else { throw ImageProblem.unreadable }
            defer { commons_vips_clear_error() }
            guard let loader = commons_vips_loader(base, buffer.count).map({ String(cString: $0) }),
                ["Jpeg", "Png", "Webp"].contains(where: { loader.contains($0) })
            else { throw ImageProblem.unreadable }
            var width: Int32 = 0
            var height: Int32 = 0
            guard commons_vips_header(base, buffer.count, &width, &height) == 0, width > 0, height > 0 else {
                throw ImageProblem.unreadable
            }
            guard Int(width) * Int(height) <= maximumPixels else { throw ImageProblem.tooLarge }
            var result: [ResizedImage] = []
            for target in targetWidths(forOriginalWidth: Int(width)) {
                guard let image = commons_vips_thumbnail(base, buffer.count, Int32(target)) else { throw ImageProblem.unreadable }
                defer { commons_vips_release(image) }
                for format in ImageFormat.allCases {
                    var output: UnsafeMutableRawPointer?
                    var length = 0
                    let quality = format == .webp ? Self.quality.webp : Self.quality.jpeg
                    guard commons_vips_save(image, format == .webp ? 1 : 0, quality, &output, &length) == 0, let output else {
                        throw ImageProblem.unreadable
                    }
                    defer { commons_vips_free(output) }
                    let encoded = Data(bytes: output, count: length)
                    result.append(
                        ResizedImage(width: Int(commons_vips_width(image)), height: Int(commons_vips_height(image)), format: format, bytes: encoded)
                    )
                }
            }
            return result
        }
    }
}
