import CommonsCore
import Foundation

/// A person as a form describes them: plain values, checked and normalized.
public struct Person: Sendable, Equatable, Codable {
    public var givenName: String?
    public var familyName: String?
    /// Normalized: trimmed and lowercased.
    public var email: String?
    /// E.164.
    public var phone: String?
    public var postalCode: String?
    public var preferredLanguage: String?
    public var role: String?
    public var school: String?

    public init(
        givenName: String? = nil,
        familyName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        postalCode: String? = nil,
        preferredLanguage: String? = nil,
        role: String? = nil,
        school: String? = nil
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
        self.phone = phone
        self.postalCode = postalCode
        self.preferredLanguage = preferredLanguage
        self.role = role
        self.school = school
    }

    /// What an unauthenticated form may do to a stored record: fill its empty fields, never
    /// replace one. The email and phone that identify the record are never added or changed
    /// (whoever knows a person's phone must not attach their own address to that person).
    func filling(_ stored: Person) -> Person {
        Person(
            givenName: stored.givenName ?? givenName,
            familyName: stored.familyName ?? familyName,
            email: stored.email,
            phone: stored.phone,
            postalCode: stored.postalCode ?? postalCode,
            preferredLanguage: stored.preferredLanguage ?? preferredLanguage,
            role: stored.role ?? role,
            school: stored.school ?? school
        )
    }

    /// The fields whose values here differ from `other`'s and are not empty here, by form field name.
    public func differences(from other: Person) -> [PersonField] {
        let pairs: [(PersonField, String?, String?)] = [
            (.givenName, givenName, other.givenName), (.familyName, familyName, other.familyName), (.email, email, other.email),
            (.phone, phone, other.phone), (.postalCode, postalCode, other.postalCode),
            (.preferredLanguage, preferredLanguage, other.preferredLanguage), (.role, role, other.role), (.school, school, other.school),
        ]
        return pairs.compactMap { field, mine, theirs in mine != nil && mine != theirs ? field : nil }
    }

    /// What this person, as a form described them, would change on the stored record beyond
    /// what `filling` does at once: a stored value it differs from, or a different email or phone.
    public func changesAsked(of stored: Person) -> [PersonField] {
        differences(from: stored).filter { $0 == .email || $0 == .phone || stored.value($0) != nil }
    }

    /// Sets one field.
    public mutating func set(_ field: PersonField, _ value: String?) {
        switch field {
        case .givenName: givenName = value
        case .familyName: familyName = value
        case .email: email = value
        case .phone: phone = value
        case .postalCode: postalCode = value
        case .preferredLanguage: preferredLanguage = value
        case .role: role = value
        case .school: school = value
        }
    }

    /// The value of one field.
    public func value(_ field: PersonField) -> String? {
        switch field {
        case .givenName: givenName
        case .familyName: familyName
        case .email: email
        case .phone: phone
        case .postalCode: postalCode
        case .preferredLanguage: preferredLanguage
        case .role: role
        case .school: school
        }
    }

    /// This person's values where they are non-empty, the older record's elsewhere: what staff
    /// apply by hand from a submission.
    func merged(over older: Person) -> Person {
        Person(
            givenName: givenName ?? older.givenName,
            familyName: familyName ?? older.familyName,
            email: email ?? older.email,
            phone: phone ?? older.phone,
            postalCode: postalCode ?? older.postalCode,
            preferredLanguage: preferredLanguage ?? older.preferredLanguage,
            role: role ?? older.role,
            school: school ?? older.school
        )
    }
}

/// Checks a public form's fields and turns them into a `Person`. Unknown fields are ignored;
/// each problem is a string-catalog key under its field's name.
public enum PersonForm {
    public static let nameLimit = 100
    public static let schoolLimit = 200

    public static func validate(_ fields: [String: String], asked: Set<PersonField>, required: Set<PersonField>) throws -> Person {
        var errors = ValidationErrors()
        func value(_ field: PersonField) -> String? {
            let text = Normalization.text(fields[field.rawValue] ?? "")
            return text.isEmpty ? nil : text
        }
        func isAsked(_ field: PersonField) -> Bool { PersonField.always.contains(field) || asked.contains(field) || required.contains(field) }
        func require(_ field: PersonField) {
            if value(field) == nil, required.contains(field) { errors.add(field: field.rawValue, message: "error.\(field.rawValue)_required") }
        }
        var person = Person()

        person.givenName = value(.givenName)
        if person.givenName == nil { errors.add(field: PersonField.givenName.rawValue, message: "error.given_name_required") }
        person.familyName = value(.familyName)
        for field in [PersonField.givenName, .familyName] where (value(field)?.count ?? 0) > nameLimit {
            errors.add(field: field.rawValue, message: "error.name_too_long")
        }

        if let raw = value(.email) {
            let email = Normalization.email(raw)
            if Normalization.isValidEmail(email) { person.email = email } else { errors.add(field: "email", message: "error.email_invalid") }
        } else {
            errors.add(field: "email", message: "error.email_required")
        }

        if isAsked(.phone) {
            if let raw = value(.phone) {
                if let phone = Normalization.phone(raw) { person.phone = phone } else { errors.add(field: "phone", message: "error.phone_invalid") }
            }
            require(.phone)
        }
        if isAsked(.postalCode) {
            if let raw = value(.postalCode) {
                if let code = Normalization.postalCode(raw) {
                    person.postalCode = code
                } else {
                    errors.add(field: "postal_code", message: "error.postal_code_invalid")
                }
            }
            require(.postalCode)
        }
        if isAsked(.role) {
            if let raw = value(.role) {
                if SupporterRole(rawValue: raw) != nil { person.role = raw } else { errors.add(field: "role", message: "error.role_invalid") }
            }
            require(.role)
        }
        if isAsked(.preferredLanguage) {
            if let raw = value(.preferredLanguage) {
                if SupporterLanguage.codes.contains(raw) {
                    person.preferredLanguage = raw
                } else {
                    errors.add(field: "preferred_language", message: "error.preferred_language_invalid")
                }
            }
            require(.preferredLanguage)
        }
        if isAsked(.school) {
            if let raw = value(.school) {
                if raw.count <= schoolLimit { person.school = raw } else { errors.add(field: "school", message: "error.school_too_long") }
            }
            require(.school)
        }
        try errors.throwIfAny()
        return person
    }
}

/// The consent texts beside the opt-in boxes change rarely; each change gets a new version,
/// and every action records the version the person saw.
public enum ConsentText {
    public static let version = "2026-11-29"
}
