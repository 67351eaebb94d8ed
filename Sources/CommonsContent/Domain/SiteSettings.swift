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
    /// The coalition's colours, `#rrggbb`: the header band, and buttons and badges. Empty for the defaults.
    case primaryColor = "primary_color"
    case accentColor = "accent_color"
    /// The site's logo (an SVG of shapes, or a PNG, JPEG or WebP) as a stored file's name: `SHA256.svg`.
    case logoFile = "logo_file"
    /// The picture link previews show when a page has none of its own, named the same way.
    case socialImageFile = "social_image_file"
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
        /// `#rrggbb` or `#rgb`; empty for the default. White text sits on both, so each must reach 4.5:1 with white.
        public var primaryColor: String
        public var accentColor: String
        /// A new logo or social image; nil keeps the one there.
        public var logo: [UInt8]?
        public var removesLogo: Bool
        public var socialImage: [UInt8]?
        public var removesSocialImage: Bool

        public init(
            siteName: String,
            tagline: String,
            contactEmail: String,
            missionPage: UUID?,
            platformPage: UUID?,
            embedOrigins: String = "",
            primaryColor: String = "",
            accentColor: String = "",
            logo: [UInt8]? = nil,
            removesLogo: Bool = false,
            socialImage: [UInt8]? = nil,
            removesSocialImage: Bool = false
        ) {
            self.siteName = siteName
            self.tagline = tagline
            self.contactEmail = contactEmail
            self.missionPage = missionPage
            self.platformPage = platformPage
            self.embedOrigins = embedOrigins
            self.primaryColor = primaryColor
            self.accentColor = accentColor
            self.logo = logo
            self.removesLogo = removesLogo
            self.socialImage = socialImage
            self.removesSocialImage = removesSocialImage
        }
    }

    /// How the site looks: its colours (nil for the stylesheet's own), and the file names
    /// (`SHA256.svg`) of its logo and link-preview picture.
    public struct Look: Sendable, Equatable {
        public var primary: Colour?
        public var accent: Colour?
        public var logo: String?
        public var socialImage: String?
    }

    /// The look, from settings already read (`all()`).
    public static func look(_ settings: [SiteSettingKey: String]) -> Look {
        Look(
            primary: settings[.primaryColor].flatMap(Colour.init(hex:)),
            accent: settings[.accentColor].flatMap(Colour.init(hex:)),
            logo: settings[.logoFile].flatMap { $0.isEmpty ? nil : $0 },
            socialImage: settings[.socialImageFile].flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// The largest logo or social image accepted: 1 MB and 5 MB.
    public static let logoLimit = 1_000_000
    public static let socialImageLimit = 5_000_000
    /// WCAG 2.1 AA for body text: what white text on each colour must reach.
    public static let minimumContrast = 4.5

    /// A colour setting as typed, checked: nil for the default, the colour, or an error on its field.
    static func check(colour text: String, field: SiteSettingKey, errors: inout ValidationErrors) -> Colour? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let colour = Colour(hex: trimmed) else {
            errors.add(field: field.rawValue, message: "error.colour_invalid")
            return nil
        }
        let ratio = colour.contrast(with: .white)
        if ratio < minimumContrast {
            errors.add(field: field.rawValue, message: "error.colour_contrast", values: ["ratio": Colour.ratioText(ratio)])
        }
        return colour
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
        let primary = Self.check(colour: identity.primaryColor, field: .primaryColor, errors: &errors)
        let accent = Self.check(colour: identity.accentColor, field: .accentColor, errors: &errors)
        var logo: LogoFile?
        if let bytes = identity.logo, !bytes.isEmpty {
            logo = LogoFile.check(bytes, limit: Self.logoLimit, field: SiteSettingKey.logoFile.rawValue, errors: &errors)
        }
        var socialImage: LogoFile?
        if let bytes = identity.socialImage, !bytes.isEmpty {
            socialImage = LogoFile.check(
                bytes,
                limit: Self.socialImageLimit,
                field: SiteSettingKey.socialImageFile.rawValue,
                allowsSVG: false,
                errors: &errors
            )
        }
        try await database.transaction { [errors, logo, socialImage] db in
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
            try await settings.set(.primaryColor, to: primary?.description ?? "")
            try await settings.set(.accentColor, to: accent?.description ?? "")
            if let logo {
                try await settings.set(.logoFile, to: try await logo.store(on: db))
            } else if identity.removesLogo {
                try await settings.set(.logoFile, to: "")
            }
            if let socialImage {
                try await settings.set(.socialImageFile, to: try await socialImage.store(on: db))
            } else if identity.removesSocialImage {
                try await settings.set(.socialImageFile, to: "")
            }
            try await AuditLog(database: db).record("settings.changed", by: actor, at: date)
        }
    }
}
