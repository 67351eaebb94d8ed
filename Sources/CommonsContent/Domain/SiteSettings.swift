import CommonsAudit
import CommonsCore
import FluentKit
import Foundation

/// The named settings of the site.
public enum SiteSettingKey: String, Sendable, CaseIterable {
    case siteName = "site_name"
    case tagline = "tagline"
    case contactEmail = "contact_email"
    /// The id of the page whose text is the home page's mission.
    case missionPage = "mission_page_id"
    /// The id of the page whose text is the home page's platform.
    case platformPage = "platform_page_id"
    /// The partner websites (origins, one per line) that may frame the coalition's forms.
    case embedOrigins = "embed_origins"
    /// Set once the demo content has been loaded, so it never loads twice.
    case demoLoadedAt = "demo_loaded_at"
    /// Proves the data key in use is the one the supporter data was written with.
    case dataKeyCheck = "data_key_check"
}

/// Reads and writes the site's settings.
public struct SiteSettings: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func value(_ key: SiteSettingKey) async throws -> String? {
        try await SiteSetting.find(key.rawValue, on: database)?.value
    }

    public func all() async throws -> [SiteSettingKey: String] {
        var result: [SiteSettingKey: String] = [:]
        for setting in try await SiteSetting.query(on: database).all() {
            if let id = setting.id, let key = SiteSettingKey(rawValue: id) { result[key] = setting.value }
        }
        return result
    }

    public func set(_ key: SiteSettingKey, to value: String) async throws {
        if let existing = try await SiteSetting.find(key.rawValue, on: database) {
            existing.value = value
            try await existing.update(on: database)
        } else {
            try await SiteSetting(key: key.rawValue, value: value).create(on: database)
        }
    }

    /// A partner page's origins that may frame forms, at most this many.
    public static let embedOriginLimit = 100

    /// The origins that may frame the coalition's forms, as saved (each checked then).
    public func embedOrigins() async throws -> [String] {
        (try await value(.embedOrigins) ?? "").split(separator: "\n").map(String.init).filter { WebAddress.origin($0) == $0 }
    }

    /// What admins set on the settings screen.
    public struct Identity: Sendable, Equatable {
        public var siteName: String
        public var tagline: String
        public var contactEmail: String
        public var missionPage: UUID?
        public var platformPage: UUID?
        /// Partner websites that may frame the forms: origins or addresses, one per line.
        public var embedOrigins: String

        public init(siteName: String, tagline: String, contactEmail: String, missionPage: UUID?, platformPage: UUID?, embedOrigins: String = "") {
            self.siteName = siteName
            self.tagline = tagline
            self.contactEmail = contactEmail
            self.missionPage = missionPage
            self.platformPage = platformPage
            self.embedOrigins = embedOrigins
        }
    }

    /// Checks and saves the site's identity with its line in the audit log, in one transaction.
    /// The name is required (200 characters at most); the contact address, printed in a mailto:
    /// link on every page, follows the one address rule; the chosen pages must exist. Throws
    /// `ValidationErrors` keyed by the settings' names, and writes nothing then.
    public func save(_ identity: Identity, by actor: AuditActor, at date: Date) async throws {
        var errors = ValidationErrors()
        let name = PlainText.line(identity.siteName)
        if name.isEmpty { errors.add(field: SiteSettingKey.siteName.rawValue, message: "error.site_name_required") }
        if name.count > 200 { errors.add(field: SiteSettingKey.siteName.rawValue, message: "error.title_too_long") }
        let email = identity.contactEmail.trimmingCharacters(in: .whitespaces)
        if !email.isEmpty, !EmailAddress.isValid(EmailAddress.normalize(email)) {
            errors.add(field: SiteSettingKey.contactEmail.rawValue, message: "error.email_invalid")
        }
        let lines = identity.embedOrigins.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let origins = lines.compactMap(WebAddress.origin)
        if origins.count != lines.count || origins.count > Self.embedOriginLimit {
            errors.add(field: SiteSettingKey.embedOrigins.rawValue, message: "error.embed_origins")
        }
        try await database.transaction { [errors] db in
            var errors = errors
            for (key, id) in [(SiteSettingKey.missionPage, identity.missionPage), (.platformPage, identity.platformPage)] {
                if let id, try await Page.find(id, on: db) == nil { errors.add(field: key.rawValue, message: "error.page_invalid") }
            }
            try errors.throwIfAny()
            let settings = SiteSettings(database: db)
            try await settings.set(.siteName, to: name)
            try await settings.set(.tagline, to: PlainText.line(identity.tagline))
            try await settings.set(.contactEmail, to: email)
            try await settings.set(.missionPage, to: identity.missionPage.map { $0.uuidString } ?? "")
            try await settings.set(.platformPage, to: identity.platformPage.map { $0.uuidString } ?? "")
            try await settings.set(
                .embedOrigins,
                to: origins.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: "\n")
            )
            try await AuditLog(database: db).record("settings.changed", by: actor, at: date)
        }
    }
}
