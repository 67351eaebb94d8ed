import CommonsCore

/// The fields of a public action form, named as OSDI names a person.
public enum PersonField: String, Sendable, CaseIterable, Hashable {
    case givenName = "given_name"
    case familyName = "family_name"
    case email
    case phone
    case postalCode = "postal_code"
    case preferredLanguage = "preferred_language"
    case role
    case school

    /// Every form asks for these; the first two are always required.
    public static let always: [PersonField] = [.givenName, .familyName, .email]
    /// A campaign chooses which of these its form asks, and which it requires.
    public static let optional: Set<PersonField> = [.phone, .postalCode, .school, .role, .preferredLanguage]

    static func list(_ fields: Set<PersonField>) -> String {
        allCases.filter(fields.contains).map(\.rawValue).joined(separator: ",")
    }

    static func set(_ list: String) -> Set<PersonField> {
        Set(list.split(separator: ",").compactMap { PersonField(rawValue: String($0)) })
    }
}

/// Who someone says they are in the school community.
public enum SupporterRole: String, Sendable, CaseIterable {
    case parent
    case student
    case educator
    case communityMember = "community member"
    case other
}

/// The languages a supporter may prefer: the thirteen the site serves.
public enum SupporterLanguage {
    /// The site's languages (`Language.known`): one list for pages, catalogs and supporters.
    public static let codes = Language.known.map(\.code)
}
