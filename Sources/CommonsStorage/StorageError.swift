/// Why the data store could not be opened or used, worded for the operator who reads it at start-up.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    /// A SQLite setting did not take: `setting` was asked to be `expected` but reads back `actual`.
    case pragmaNotApplied(setting: String, expected: String, actual: String, path: String)
    /// The data directory could not be made or written.
    case dataDirectoryUnusable(path: String, reason: String)
    /// `DATABASE_URL` could not be understood.
    case invalidDatabaseURL(String)
    /// The database did not answer.
    case unreachable(String)

    public var description: String {
        switch self {
        case .pragmaNotApplied(let setting, let expected, let actual, let path):
            "Refusing to run: the SQLite database at \(path) reports \(setting)=\(actual), but Commons needs \(setting)=\(expected). "
                + "Check that the file and its folder are writable, that the file is a SQLite database, and that no other program holds it open in exclusive mode."
        case .dataDirectoryUnusable(let path, let reason):
            "Refusing to run: the data directory \(path) cannot be used (\(reason)). Set COMMONS_DATA_DIR to a writable folder."
        case .invalidDatabaseURL(let reason):
            "DATABASE_URL is not a usable PostgreSQL URL (\(reason)). Expected postgres://user:password@host:port/database."
        case .unreachable(let reason):
            "The database did not answer: \(reason)"
        }
    }
}
