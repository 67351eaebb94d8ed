import CommonsImages
import FluentKit
import Foundation

/// One resized copy of an uploaded picture (a document that is a PNG, JPEG or WebP), named by
/// the picture's SHA-256, its width and its format, so its address never changes meaning.
public final class ImageVariant: Model, @unchecked Sendable {
    public static let schema = "image_variants"

    @ID(key: .id) public var id: UUID?
    @Field(key: "source_sha256") public var sourceSHA256: String
    @Field(key: "width") public var width: Int
    @Field(key: "height") public var height: Int
    @Field(key: "format") public var format: String
    @Field(key: "bytes") public var bytes: Data
    @Field(key: "byte_count") public var byteCount: Int

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $sourceSHA256, $width, $height, $format, $bytes, $byteCount] }

    public init() {}

    init(source sha256: String, _ image: ResizedImage) {
        sourceSHA256 = sha256
        width = image.width
        height = image.height
        format = image.format.rawValue
        bytes = image.bytes
        byteCount = image.bytes.count
    }
}
