import CommonsContent
import CommonsImages
import Foundation

/// A picture as pages show it: its resized copies in `srcset` (WebP first, JPEG for the rest),
/// its width and height so nothing moves when it arrives, and its alt text from the library.
/// A picture without copies (one libvips could not read) shows as the file itself.
struct ResponsiveImage {
    let src: String
    let alt: String
    let webpSrcset: String?
    let jpegSrcset: String?
    let sizes: String
    let width: Int?
    let height: Int?
    /// The widest JPEG copy: what link previews show.
    let largest: String
    /// Below the fold: the browser fetches it only when it is about to be seen.
    let lazy: Bool

    /// The widths a slot takes: a list's card, or a post's full measure.
    enum Slot {
        case card
        case article

        var sizes: String {
            switch self {
            case .card: "(min-width: 64rem) 20rem, (min-width: 40rem) 45vw, 100vw"
            case .article: "(min-width: 48rem) 44rem, 100vw"
            }
        }
    }

    init(_ document: Document, copies: [ImageLibrary.Size]?, slot: Slot, lazy: Bool) {
        // The library's description of an image is its alt text; its title when it has none.
        alt = document.description.isEmpty ? document.title : document.description
        sizes = slot.sizes
        self.lazy = lazy
        let copies = copies ?? []
        func srcset(_ format: ImageFormat) -> String? {
            let list = copies.filter { $0.format == format }
            guard !list.isEmpty else { return nil }
            return list.map { "\(SitePath.image(document.sha256, width: $0.width, format: format)) \($0.width)w" }.joined(separator: ", ")
        }
        webpSrcset = srcset(.webp)
        jpegSrcset = srcset(.jpeg)
        let jpegs = copies.filter { $0.format == .jpeg }
        // The fallback `src` is the middle copy: enough for any screen, not the largest.
        if let middle = jpegs.isEmpty ? nil : jpegs[jpegs.count / 2], let widest = jpegs.last {
            src = SitePath.image(document.sha256, width: middle.width, format: .jpeg)
            width = widest.width
            height = widest.height
            largest = SitePath.image(document.sha256, width: widest.width, format: .jpeg)
        } else {
            src = SitePath.documentFile(document.slug)
            width = nil
            height = nil
            largest = src
        }
    }
}

extension Site {
    /// The resized copies of the featured images of posts whose featured document was loaded.
    func featuredImageSizes(of posts: [Post]) async throws -> [String: [ImageLibrary.Size]] {
        try await images.sizes(of: posts.compactMap { $0.$featuredDocument.value.flatMap { $0 }?.sha256 })
    }
}
