import FluentKit

/// One named setting of the site (its name, tagline, which page is the mission).
public final class SiteSetting: Model, @unchecked Sendable {
    public static let schema = "site_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}
