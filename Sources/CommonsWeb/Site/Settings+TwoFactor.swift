import CommonsAccounts

extension Settings {
    /// `admin,organizer`, `editor`, `none`: a comma-separated list of roles.
    static func roles(_ raw: String) throws -> Set<Role> {
        let trimmed = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "none" { return [] }
        var roles: Set<Role> = []
        for name in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let role = Role(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw SettingsError(
                    variable: "COMMONS_REQUIRE_2FA",
                    value: raw,
                    expected: "roles separated by commas (admin, organizer, editor), or none"
                )
            }
            roles.insert(role)
        }
        return roles
    }
}
