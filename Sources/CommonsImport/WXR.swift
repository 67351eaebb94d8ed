import CLibXML2
import Foundation

/// A WordPress export file (WXR: RSS 2.0 with WordPress's own elements), as read.
public struct WXRExport: Sendable {
    public var version: String
    /// `wp:base_site_url`: where WordPress itself lived.
    public var siteURL: String
    /// `wp:base_blog_url`, the public address links start with.
    public var blogURL: String
    /// Author login → display name, for bylines.
    public var authors: [String: String] = [:]
    public var categories: [Term] = []
    public var tags: [Term] = []
    public var items: [Item] = []

    public struct Term: Sendable, Equatable {
        public var id: Int?
        public var slug: String
        public var name: String
        public var parentSlug: String?
        public var description: String
    }

    public struct Item: Sendable {
        public var title = ""
        public var link = ""
        public var guid = ""
        public var postID = 0
        public var postType = ""
        public var status = ""
        public var postName = ""
        /// The site's local time, `YYYY-MM-DD HH:MM:SS`.
        public var postDate = ""
        /// UTC, or `0000-00-00 00:00:00` when WordPress never set it (drafts).
        public var postDateGMT = ""
        public var creator = ""
        public var content = ""
        public var excerpt = ""
        public var parentID = 0
        public var attachmentURL = ""
        /// `_wp_attached_file`: the file's path under `wp-content/uploads`.
        public var attachedFile = ""
        /// (domain, nicename, name) of each `<category>`: categories and tags.
        public var terms: [(domain: String, slug: String, name: String)] = []
    }

    /// The versions of the format this reader knows (WordPress has written 1.2 since 3.4).
    public static let supportedVersions: Set<String> = ["1.0", "1.1", "1.2"]

    /// Reads an export. Anything but a well-formed WXR file of a known version throws `WXRError`.
    ///
    /// The file is read as a stream (libxml2's `xmlTextReader`): each child of `<channel>` (an
    /// author, a term, an item) is built as a small tree, read into its value and freed before
    /// the next, so memory holds the items' words and never the whole file's tree.
    public static func read(_ data: Data) throws -> WXRExport {
        xmlResetLastError()
        // NONET: never fetch anything; entities are not substituted, so no external entity is read.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        return try data.withUnsafeBytes { raw -> WXRExport in
            guard let base = raw.baseAddress, raw.count > 0,
                let reader = xmlReaderForMemory(base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), nil, nil, options)
            else { throw WXRError.malformed(line: 0, message: "the file is empty") }
            defer { xmlFreeTextReader(reader) }
            var export = WXRExport(version: "", siteURL: "", blogURL: "")
            var sawVersion = false
            var status = xmlTextReaderRead(reader)
            while status == 1 {
                guard xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue) else {
                    status = xmlTextReaderRead(reader)
                    continue
                }
                let depth = xmlTextReaderDepth(reader)
                let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
                // <rss> at the top, <channel> inside it; anything else there is not an export.
                if depth == 0, name != "rss" { throw WXRError.notWordPress }
                if depth == 1, name != "channel" { throw WXRError.notWordPress }
                guard depth == 2 else {
                    status = xmlTextReaderRead(reader)
                    continue
                }
                guard let node = xmlTextReaderExpand(reader) else {
                    status = -1  // a subtree that cannot be built: the file is cut short or broken
                    break
                }
                if name == "wp:wxr_version" {
                    export.version = text(of: node)
                    sawVersion = true
                } else {
                    export.add(channelChild: node, named: name)
                }
                // On to the next sibling: the reader frees the subtree just read.
                status = xmlTextReaderNext(reader)
            }
            // A file cut short can end the stream quietly: its error is still on record.
            let recorded = xmlGetLastError().map { $0.pointee.level.rawValue >= XML_ERR_ERROR.rawValue } ?? false
            if status < 0 || recorded {
                let error = xmlGetLastError()
                let message = error?.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unreadable"
                throw WXRError.malformed(line: Int(error?.pointee.line ?? 0), message: message)
            }
            guard sawVersion else { throw WXRError.notWordPress }
            guard supportedVersions.contains(export.version) else { throw WXRError.unsupportedVersion(export.version) }
            return export
        }
    }

    /// One child of `<channel>`: the site's addresses, an author, a category, a tag or an item.
    mutating func add(channelChild node: xmlNodePtr, named name: String) {
        switch name {
        case "wp:base_site_url": siteURL = Self.text(of: node)
        case "wp:base_blog_url": blogURL = Self.text(of: node)
        case "link": if blogURL.isEmpty { blogURL = Self.text(of: node) }
        case "wp:author":
            let fields = Self.fields(of: node)
            if let login = fields["wp:author_login"] { authors[login] = fields["wp:author_display_name"] ?? login }
        case "wp:category":
            let fields = Self.fields(of: node)
            guard let slug = fields["wp:category_nicename"], !slug.isEmpty else { return }
            categories.append(
                Term(
                    id: fields["wp:term_id"].flatMap { Int($0) },
                    slug: slug,
                    name: fields["wp:cat_name"] ?? slug,
                    parentSlug: fields["wp:category_parent"].flatMap { $0.isEmpty ? nil : $0 },
                    description: fields["wp:category_description"] ?? ""
                )
            )
        case "wp:tag":
            let fields = Self.fields(of: node)
            guard let slug = fields["wp:tag_slug"], !slug.isEmpty else { return }
            tags.append(
                Term(
                    id: fields["wp:term_id"].flatMap { Int($0) },
                    slug: slug,
                    name: fields["wp:tag_name"] ?? slug,
                    parentSlug: nil,
                    description: fields["wp:tag_description"] ?? ""
                )
            )
        case "item":
            items.append(Self.item(node))
        default:
            break
        }
    }

    static func item(_ node: xmlNodePtr) -> Item {
        var item = Item()
        for child in children(of: node) {
            let value = { text(of: child) }
            switch name(of: child) {
            case "title": item.title = value()
            case "link": item.link = value()
            case "guid": item.guid = value()
            case "dc:creator": item.creator = value()
            case "content:encoded": item.content = value()
            case "excerpt:encoded": item.excerpt = value()
            case "wp:post_id": item.postID = Int(value()) ?? 0
            case "wp:post_type": item.postType = value()
            case "wp:status": item.status = value()
            case "wp:post_name": item.postName = value()
            case "wp:post_date": item.postDate = value()
            case "wp:post_date_gmt": item.postDateGMT = value()
            case "wp:post_parent": item.parentID = Int(value()) ?? 0
            case "wp:attachment_url": item.attachmentURL = value()
            case "wp:postmeta":
                let meta = fields(of: child)
                if meta["wp:meta_key"] == "_wp_attached_file" { item.attachedFile = meta["wp:meta_value"] ?? "" }
            case "category":
                let domain = attribute("domain", of: child) ?? "category"
                let slug = attribute("nicename", of: child) ?? ""
                if !slug.isEmpty { item.terms.append((domain, slug, value())) }
            default:
                break
            }
        }
        return item
    }

    // MARK: libxml2

    /// `prefix:name` as the file writes it (`wp:post_id`), or the bare name.
    static func name(of node: xmlNodePtr) -> String {
        let local = node.pointee.name.map { String(cString: $0) } ?? ""
        if let namespace = node.pointee.ns, let prefix = namespace.pointee.prefix { return String(cString: prefix) + ":" + local }
        return local
    }

    static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var current = node.pointee.children
        while let child = current {
            if child.pointee.type == XML_ELEMENT_NODE { result.append(child) }
            current = child.pointee.next
        }
        return result
    }

    static func text(of node: xmlNodePtr) -> String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { free(raw) }  // libxml2 allocates with malloc unless told otherwise
        return String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func fields(of node: xmlNodePtr) -> [String: String] {
        var result: [String: String] = [:]
        for child in children(of: node) { result[name(of: child)] = text(of: child) }
        return result
    }

    static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let raw = xmlGetProp(node, Array(name.utf8) + [0]) else { return nil }
        defer { free(raw) }  // libxml2 allocates with malloc unless told otherwise
        return String(cString: raw)
    }
}

/// Why an export file cannot be imported; nothing is imported when one is thrown.
public enum WXRError: Error, Equatable, CustomStringConvertible {
    case malformed(line: Int, message: String)
    case notWordPress
    case unsupportedVersion(String)

    public var description: String {
        switch self {
        case .malformed(let line, let message):
            "the file is not well-formed XML (line \(line): \(message)); export it again from WordPress (Tools → Export)"
        case .notWordPress:
            "the file is not a WordPress export (no <rss><channel> with <wp:wxr_version>); use the file WordPress's Tools → Export writes"
        case .unsupportedVersion(let version):
            "WordPress export version \(version) is not supported (known: \(WXRExport.supportedVersions.sorted().joined(separator: ", ")))"
        }
    }
}
