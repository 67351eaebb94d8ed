import FluentKit

/// One named setting of the site (its name, tagline, which page is the mission).
public final class SiteSetting: Model, @unchecked Sendable {
    public static let schema = "site_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $value] }

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}
