import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// One thing search found.
public struct SearchHit: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case post, page, document
    }

    public let kind: Kind
    public let id: UUID
    /// The title, with each matched word between `SearchHit.markStart` and `SearchHit.markEnd`.
    public let markedTitle: String
    /// A piece of the text around the matches, marked the same way.
    public let markedSnippet: String

    /// Control characters no editor types, so the web layer can escape the text and then turn
    /// the marks into `<mark>` safely.
    public static let markStart = "\u{1}"
    public static let markEnd = "\u{2}"
}

/// One page of search results.
public struct SearchResults: Sendable {
    public let hits: [SearchHit]
    public let page: Int
    public let hasMore: Bool
}

/// Full-text search over what the public may read: SQLite FTS5 or PostgreSQL text search,
/// ranked with titles weighing more than text.
public struct SearchIndex: Sendable {
    public static let resultsPerPage = 10
    /// The longest query accepted.
    public static let maximumQueryLength = 200

    let database: any Database
    let clock: Clock

    public init(database: any Database, clock: Clock) {
        self.database = database
        self.clock = clock
    }

    var sql: any SQLDatabase { database as! any SQLDatabase }
    var isSQLite: Bool { sql.dialect.name == "sqlite" }

    /// Puts an item's current words in the index, replacing what it had.
    public func index(_ kind: SearchHit.Kind, id: UUID, title: String, body: String) async throws {
        try await remove(kind, id: id)
        if isSQLite {
            // FTS5's unicode61 tokenizer splits on punctuation by Unicode category, whatever the locale.
            try await sql.raw(
                "INSERT INTO search_index (kind, ref_id, title, body) VALUES (\(bind: kind.rawValue), \(bind: id), \(bind: title), \(bind: body))"
            ).run()
        } else {
            // PostgreSQL's parser takes its character classes from the database's locale: under C,
            // “Sanctuary is one word with its quote. The words it indexes come without punctuation.
            try await sql.raw(
                """
                INSERT INTO search_index (kind, ref_id, title, body, title_words, body_words)
                VALUES (\(bind: kind.rawValue), \(bind: id), \(bind: title), \(bind: body), \(bind: Self.withoutPunctuation(title)), \(bind: Self.withoutPunctuation(body)))
                """
            ).run()
        }
    }

    /// The text with every punctuation mark and symbol (quotes, dashes, «», ¿, …) made a space,
    /// letters, marks and digits of every script kept: what a word is, decided here, not by a locale.
    public static func withoutPunctuation(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
                .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                result.append(" ")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    public func remove(_ kind: SearchHit.Kind, id: UUID) async throws {
        try await sql.raw("DELETE FROM search_index WHERE kind = \(bind: kind.rawValue) AND ref_id = \(bind: id)").run()
    }

    /// The published posts, pages and documents matching every word of `query`, best first.
    /// Throws `ValidationErrors` for a query over `maximumQueryLength` characters.
    public func search(_ query: String, page: Int) async throws -> SearchResults {
        guard query.count <= Self.maximumQueryLength else { throw ValidationErrors(field: "q", message: "error.query_too_long") }
        let words = Self.words(in: query)
        guard !words.isEmpty, let offset = Pagination.offset(page: page, perPage: Self.resultsPerPage) else {
            return SearchResults(hits: [], page: page, hasMore: false)
        }
        let now = clock.now
        let limit = Self.resultsPerPage + 1
        let visibility: SQLQueryString = """
            ((s.kind = 'post' AND s.ref_id IN (SELECT id FROM posts WHERE \(Post.isPublicSQL(at: now))))
            OR (s.kind = 'page' AND s.ref_id IN (SELECT id FROM pages WHERE status = 'published' AND deleted_at IS NULL))
            OR (s.kind = 'document' AND s.ref_id IN (SELECT id FROM documents WHERE published_at <= \(bind: now) AND deleted_at IS NULL)))
            """
        let found: [SearchHit]
        if isSQLite {
            found = try await sqliteSearch(words: words, offset: offset, limit: limit)
        } else {
            let text = words.joined(separator: " ")
            let rows = try await sql.raw(
                """
                SELECT s.kind AS kind, s.ref_id AS ref_id,
                    ts_headline('english', s.title, q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', HighlightAll=true') AS marked_title,
                    ts_headline('english', s.body, q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=…') AS marked_snippet
                FROM search_index s, plainto_tsquery('english', \(bind: text)) q
                WHERE s.document @@ q AND \(visibility)
                ORDER BY ts_rank(s.document, q) DESC, s.title
                LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all()
            found = try rows.compactMap { row in
                try Self.hit(
                    kind: row.decode(column: "kind", as: String.self),
                    id: row.decode(column: "ref_id", as: UUID.self),
                    marked: row
                )
            }
        }
        return SearchResults(hits: Array(found.prefix(Self.resultsPerPage)), page: page, hasMore: found.count > Self.resultsPerPage)
    }

    /// SQLite's search in two steps, so the costly parts touch only the rows shown. FTS5
    /// ranks every match by bm25 (cheap: 11 ms for 10,000 matches), but reading each match's
    /// kind and title for the visibility check and the tie-break, and writing a snippet for
    /// each, took 60 ms more. So: the best `candidates` by score alone, then visibility for
    /// those only (a primary-key probe each), widening the window while drafts and scheduled
    /// posts crowd the visible results out of it; then the highlighted title and snippet for
    /// the page's rows alone. Equal scores keep the order the rows were indexed in (the rowid),
    /// so every window agrees with the whole order and pages never repeat or skip a result.
    private func sqliteSearch(words: [String], offset: Int, limit: Int) async throws -> [SearchHit] {
        let now = clock.now
        // Each word quoted: FTS5 syntax typed by a reader is text, never an operator.
        let match = words.map { "\"\($0)\"" }.joined(separator: " ")
        var candidates = offset + limit + 50
        var matches: Int?
        var page: [any SQLRow]
        while true {
            page = try await sql.raw(
                """
                WITH ranked AS (
                    SELECT rowid AS r, bm25(search_index, 0.0, 0.0, 10.0, 1.0) AS score FROM search_index
                    WHERE search_index MATCH \(bind: match) ORDER BY score, rowid LIMIT \(bind: candidates)
                )
                SELECT s.rowid AS r, s.kind AS kind, s.ref_id AS ref_id FROM ranked JOIN search_index s ON s.rowid = ranked.r
                WHERE (s.kind = 'post' AND EXISTS (SELECT 1 FROM posts p WHERE p.id = s.ref_id AND \(Post.isPublicSQL("p", at: now))))
                    OR (s.kind = 'page' AND EXISTS (SELECT 1 FROM pages p WHERE p.id = s.ref_id AND p.status = 'published' AND p.deleted_at IS NULL))
                    OR (s.kind = 'document' AND EXISTS (SELECT 1 FROM documents d WHERE d.id = s.ref_id AND d.published_at <= \(bind: now)
                        AND d.deleted_at IS NULL))
                ORDER BY ranked.score, ranked.r
                LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all()
            if page.count == limit { break }
            if matches == nil {
                matches =
                    try await sql.raw("SELECT count(*) AS n FROM search_index WHERE search_index MATCH \(bind: match)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            if candidates >= matches ?? 0 { break }
            candidates *= 4
        }
        guard !page.isEmpty else { return [] }
        let rowIDs = try page.map { try $0.decode(column: "r", as: Int64.self) }
        let marked = try await sql.raw(
            """
            SELECT rowid AS r, highlight(search_index, 2, char(1), char(2)) AS marked_title,
                snippet(search_index, 3, char(1), char(2), '…', 24) AS marked_snippet
            FROM search_index WHERE search_index MATCH \(bind: match) AND rowid IN (\(binds: rowIDs))
            """
        ).all()
        let markedByRow = Dictionary(try marked.map { (try $0.decode(column: "r", as: Int64.self), $0) }, uniquingKeysWith: { first, _ in first })
        return try zip(page, rowIDs).compactMap { row, rowID in
            guard let texts = markedByRow[rowID] else { return nil }
            return try Self.hit(kind: row.decode(column: "kind", as: String.self), id: row.decode(column: "ref_id", as: UUID.self), marked: texts)
        }
    }

    /// A hit from its kind, id and a row holding its marked title and snippet; nil for a kind
    /// this version does not know.
    private static func hit(kind: String, id: UUID, marked: any SQLRow) throws -> SearchHit? {
        guard let kind = SearchHit.Kind(rawValue: kind) else { return nil }
        return SearchHit(
            kind: kind,
            id: id,
            markedTitle: try marked.decode(column: "marked_title", as: String.self),
            markedSnippet: try marked.decode(column: "marked_snippet", as: String.self)
        )
    }

    /// The words of a query: runs of letters and digits, at most 20 of them.
    static func words(in query: String) -> [String] {
        query.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(20).map { String($0).lowercased() }
    }
}
