import CommonsStorage
import Foundation
import Logging
import SQLKit
import Testing

/// A database a test owns: a SQLite file in a new temporary folder, or a new database on the
/// PostgreSQL server CI starts (`COMMONS_TEST_POSTGRES_URL`), dropped afterwards.
struct TestDatabase {
    enum Backend: String, CustomStringConvertible {
        /// `postgresCLocale`: a database whose character classes are the C locale's, as many
        /// containers and managed services make them.
        case sqlite, postgres, postgresCLocale
        var description: String { rawValue }
    }

    /// The PostgreSQL server CI provides, if any.
    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["COMMONS_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }()

    static var postgresAvailable: Bool { postgresURL != nil }
    static let postgresSkipReason: Comment = "PostgreSQL tests skipped: COMMONS_TEST_POSTGRES_URL is not set (.ci/run sets it)"

    let backend: Backend
    let location: DatabaseLocation
    let folder: URL
    private let postgresName: String?

    static let logger: Logger = {
        var logger = Logger(label: "commons-test")
        logger.logLevel = .warning
        return logger
    }()

    /// Makes a fresh, empty database and a temporary data folder.
    static func make(_ backend: Backend) async throws -> TestDatabase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            return TestDatabase(backend: .sqlite, location: .sqliteFile(inDataDirectory: folder.path), folder: folder, postgresName: nil)
        case .postgres, .postgresCLocale:
            guard let base = postgresURL else { throw TestSkip(reason: "COMMONS_TEST_POSTGRES_URL is not set") }
            let name = "commons_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            let admin = try await CommonsDatabase.open(.postgres(url: base), logger: logger)
            let locale = backend == .postgresCLocale ? " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" : ""
            try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: name)\(unsafeRaw: locale)").run()
            await admin.shutdown()
            return TestDatabase(
                backend: backend,
                location: .postgres(url: replacingDatabase(in: base, with: name)),
                folder: folder,
                postgresName: name
            )
        }
    }

    /// Removes the folder and, on PostgreSQL, drops the database.
    func destroy() async {
        try? FileManager.default.removeItem(at: folder)
        if let postgresName, let base = Self.postgresURL, let admin = try? await CommonsDatabase.open(.postgres(url: base), logger: Self.logger) {
            try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: postgresName) WITH (FORCE)").run()
            await admin.shutdown()
        }
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }
}

struct TestSkip: Error {
    let reason: String
}
