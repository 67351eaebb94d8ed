import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// What a partner tool sends about a person, in OSDI's names, checked by the same rules as
/// the public forms (`PersonForm`): the API stores nothing a form would refuse.
struct APIInput {
    struct EmailAddress: Decodable {
        var address: String?
        var primary: Bool?
        var status: String?
    }

    struct PhoneNumber: Decodable {
        var number: String?
        var primary: Bool?
        var status: String?
    }

    struct PostalAddress: Decodable {
        var postal_code: String?
    }

    struct PersonBody: Decodable {
        var given_name: String?
        var family_name: String?
        var email_addresses: [EmailAddress]?
        var phone_numbers: [PhoneNumber]?
        var postal_addresses: [PostalAddress]?
        var languages_spoken: [String]?
        var custom_fields: [String: String]?
    }

    /// A helper's body: `{"person": {...}, "add_tags": [...]}`.
    struct HelperBody: Decodable {
        var person: PersonBody
        var add_tags: [String]?
    }

    /// Where each form field lives in an OSDI person, for the field errors of a 422.
    static func path(ofFormField field: String) -> String {
        switch PersonField(rawValue: field) {
        case .givenName: "person.given_name"
        case .familyName: "person.family_name"
        case .email: "person.email_addresses"
        case .phone: "person.phone_numbers"
        case .postalCode: "person.postal_addresses"
        case .preferredLanguage: "person.languages_spoken"
        case .role: "person.custom_fields.role"
        case .school: "person.custom_fields.school"
        case nil: field == "add_tags" ? "add_tags" : field
        }
    }

    /// The body, decoded; a body that is not such JSON is a 400 with the reason.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw APIProblem.badRequest("The body does not match the schema at \(describe(context.codingPath)).")
        } catch DecodingError.keyNotFound(let key, let context) {
            throw APIProblem.badRequest("The body lacks \(describe(context.codingPath + [key])).")
        } catch {
            throw APIProblem.badRequest("The body is not a JSON object.")
        }
    }

    private static func describe(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    /// The fields as a public form would have sent them: the primary (else first) address and number.
    static func formFields(_ person: PersonBody) -> [String: String] {
        var fields: [String: String] = [:]
        fields["given_name"] = person.given_name
        fields["family_name"] = person.family_name
        fields["email"] = primary(person.email_addresses, \.primary)?.address
        fields["phone"] = primary(person.phone_numbers, \.primary)?.number
        fields["postal_code"] = person.postal_addresses?.first?.postal_code
        fields["preferred_language"] = person.languages_spoken?.first
        fields["role"] = person.custom_fields?["role"]
        fields["school"] = person.custom_fields?["school"]
        return fields
    }

    static func primary<T>(_ list: [T]?, _ isPrimary: KeyPath<T, Bool?>) -> T? {
        list?.first { $0[keyPath: isPrimary] == true } ?? list?.first
    }

    /// A person for a helper: checked as a public form checks one (a given name and an email
    /// required), and the consent the request states, never assumed: email news only when the
    /// address says `subscribed`, text messages only when the number does.
    static func submission(
        _ body: HelperBody,
        required: Set<PersonField> = []
    ) throws -> (person: Person, emailOptIn: Bool, smsOptIn: Bool, tags: [String]) {
        var errors = ValidationErrors()
        var tags: [String] = []
        for raw in body.add_tags ?? [] {
            let tag = Normalization.text(raw)
            if tag.isEmpty || tag.count > 60 || tags.count >= 20 {
                errors.add(field: "add_tags", message: "error.tag_invalid")
            } else {
                tags.append(tag)
            }
        }
        let person: Person
        do {
            person = try PersonForm.validate(formFields(body.person), asked: Set(PersonField.allCases), required: required)
        } catch let found as ValidationErrors {
            errors.add(found)
            try errors.throwIfAny()
            throw found
        }
        try errors.throwIfAny()
        let email = primary(body.person.email_addresses, \.primary)
        let phone = primary(body.person.phone_numbers, \.primary)
        try checkStatus(email?.status, field: "email")
        try checkStatus(phone?.status, field: "phone")
        return (person, email?.status == "subscribed", person.phone != nil && phone?.status == "subscribed", tags)
    }

    /// For an update: only the fields given, each checked as a form checks it; a status may only
    /// say `unsubscribed` (a "yes" comes from the person through a form or a helper).
    static func update(_ body: PersonBody) throws -> (person: Person, stopEmail: Bool, stopSMS: Bool) {
        var fields = formFields(body)
        let given = Set(fields.keys)
        // The form's checks demand a name and an email; an update keeps the stored ones when absent.
        fields["given_name"] = fields["given_name"] ?? "-"
        fields["email"] = fields["email"] ?? "kept@example.org"
        var person = try PersonForm.validate(fields, asked: Set(PersonField.allCases), required: [])
        for field in PersonField.allCases where !given.contains(field.rawValue) { person.set(field, nil) }
        let email = primary(body.email_addresses, \.primary)
        let phone = primary(body.phone_numbers, \.primary)
        var errors = ValidationErrors()
        for (status, field) in [(email?.status, "email"), (phone?.status, "phone")] where status != nil && status != "unsubscribed" {
            errors.add(field: field, message: "error.api_status_update")
        }
        try errors.throwIfAny()
        return (person, email?.status == "unsubscribed", phone?.status == "unsubscribed")
    }

    private static func checkStatus(_ status: String?, field: String) throws {
        guard let status else { return }
        guard ["subscribed", "unsubscribed"].contains(status) else { throw ValidationErrors(field: field, message: "error.api_status_invalid") }
    }
}
