import Foundation

/// Where the site's data lives: one SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable {
    /// A SQLite file. `path` may also be a `file:` URI, as SQLite accepts them.
    case sqlite(path: String)
    /// A PostgreSQL database given by a `postgres://user:pass@host:port/db` URL.
    case postgres(url: String)

    /// The name `/healthz` reports: `sqlite` or `postgres`.
    public var kindName: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The SQLite file inside a data directory, as every command uses it.
    public static func sqliteFile(inDataDirectory directory: String) -> DatabaseLocation {
        .sqlite(path: URL(fileURLWithPath: directory).appendingPathComponent("commons.sqlite").path)
    }
}
