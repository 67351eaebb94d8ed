/// Finds which documents a piece of Markdown links to.
public enum DocumentLinks {
    /// Slugs of `/documents/SLUG` links, first mention first.
    public static func slugs(in markdown: String) -> [String] {
        var slugs: [String] = []
        var rest = Substring(markdown)
        let marker = ContentPath.document("")
        while let range = rest.range(of: marker) {
            let tail = rest[range.upperBound...]
            let slug = String(tail.prefix { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" })
            if !slug.isEmpty, !slugs.contains(slug) { slugs.append(slug) }
            rest = tail
        }
        return slugs
    }
}
