import FluentKit

/// The named settings of the site.
public enum SiteSettingKey: String, Sendable, CaseIterable {
    case siteName = "site_name"
    case tagline = "tagline"
    case contactEmail = "contact_email"
    /// The id of the page whose text is the home page's mission.
    case missionPage = "mission_page_id"
    /// The id of the page whose text is the home page's platform.
    case platformPage = "platform_page_id"
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
}
