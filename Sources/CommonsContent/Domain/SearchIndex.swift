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
            ((s.kind = 'post' AND s.ref_id IN (SELECT id FROM posts WHERE status <> 'draft' AND publish_at <= \(bind: now) AND deleted_at IS NULL))
            OR (s.kind = 'page' AND s.ref_id IN (SELECT id FROM pages WHERE status = 'published' AND deleted_at IS NULL))
            OR (s.kind = 'document' AND s.ref_id IN (SELECT id FROM documents WHERE published_at <= \(bind: now) AND deleted_at IS NULL)))
            """
        let rows: [any SQLRow]
        if isSQLite {
            // Each word quoted: FTS5 syntax typed by a reader is text, never an operator.
            let match = words.map { "\"\($0)\"" }.joined(separator: " ")
            rows = try await sql.raw(
                """
                SELECT s.kind AS kind, s.ref_id AS ref_id,
                    highlight(search_index, 2, char(1), char(2)) AS marked_title,
                    snippet(search_index, 3, char(1), char(2), '…', 24) AS marked_snippet
                FROM search_index s
                WHERE search_index MATCH \(bind: match) AND \(visibility)
                ORDER BY bm25(search_index, 0.0, 0.0, 10.0, 1.0), s.title
                LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all()
        } else {
            let text = words.joined(separator: " ")
            rows = try await sql.raw(
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
        }
        var hits: [SearchHit] = []
        for row in rows.prefix(Self.resultsPerPage) {
            guard let kind = SearchHit.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            hits.append(
                SearchHit(
                    kind: kind,
                    id: try row.decode(column: "ref_id", as: UUID.self),
                    markedTitle: try row.decode(column: "marked_title", as: String.self),
                    markedSnippet: try row.decode(column: "marked_snippet", as: String.self)
                )
            )
        }
        return SearchResults(hits: hits, page: page, hasMore: rows.count > Self.resultsPerPage)
    }

    /// The words of a query: runs of letters and digits, at most 20 of them.
    static func words(in query: String) -> [String] {
        query.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(20).map { String($0).lowercased() }
    }
}
