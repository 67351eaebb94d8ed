/// The public paths of published content, as the site answers them and as redirects record them.
/// The web layer's `SitePath` prints links with these; nothing else writes them.
public enum ContentPath {
    public static func post(_ slug: String) -> String { "/news/\(slug)" }
    public static func page(_ slug: String) -> String { "/\(slug)" }
    public static func document(_ slug: String) -> String { "/documents/\(slug)" }
    public static func documentFile(_ slug: String) -> String { "/documents/\(slug)/file" }
    public static func category(_ slug: String) -> String { "/category/\(slug)" }
    public static func tag(_ slug: String) -> String { "/tag/\(slug)" }
}
