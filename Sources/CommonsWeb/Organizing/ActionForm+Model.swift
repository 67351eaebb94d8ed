import CommonsCore
import CommonsOrganizing

/// A public action form (sign-up, petition, RSVP) ready for its template: each field with its
/// label, value, error and the ids that tie them together for screen readers.
struct ActionForm {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Field {
        let id: String
        let name: String
        let label: String
        let type: String
        let value: String
        let required: Bool
        let autocomplete: String
        let hint: String?
        let error: String?
        let describedBy: String?
        let isSelect: Bool
        let options: [Option]
    }

    struct Checkbox {
        let id: String
        let name: String
        let label: String
        let checked: Bool
    }

    struct ErrorLink {
        let text: String
        let target: String
    }

    let action: String
    let token: String
    let fields: [Field]
    let emailOptIn: Checkbox
    let smsOptIn: Checkbox?
    let hasErrors: Bool
    let errorSummary: [ErrorLink]
    let submitLabel: String
    /// An embedded form's partner (a member organization's slug), sent back in a hidden field.
    var via: String?

    /// `values` are what the person typed (kept on a failed submission); `errors` the
    /// problems by field name, as catalog keys.
    init(
        action: String,
        token: String,
        asked: Set<PersonField>,
        required: Set<PersonField>,
        includeGuests: Bool,
        values: [String: String],
        errors: ValidationErrors,
        submitLabel: String,
        strings: StringCatalog,
        language: Language
    ) {
        self.action = action
        self.token = token
        self.submitLabel = submitLabel
        var fields: [Field] = []
        func add(_ name: String, type: String, autocomplete: String, required isRequired: Bool, hint: String? = nil, options: [Option]? = nil) {
            let id = "field-\(name.replacingOccurrences(of: "_", with: "-"))"
            let error = errors[name].map { strings[$0] }
            let describedBy = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }.joined(separator: " ")
            fields.append(
                Field(
                    id: id,
                    name: name,
                    label: strings["form.\(name)"],
                    type: type,
                    value: values[name] ?? "",
                    required: isRequired,
                    autocomplete: autocomplete,
                    hint: hint,
                    error: error,
                    describedBy: describedBy.isEmpty ? nil : describedBy,
                    isSelect: options != nil,
                    options: options ?? []
                )
            )
        }
        func isAsked(_ field: PersonField) -> Bool { asked.contains(field) || required.contains(field) }
        add("given_name", type: "text", autocomplete: "given-name", required: true)
        add("family_name", type: "text", autocomplete: "family-name", required: false)
        add("email", type: "email", autocomplete: "email", required: true)
        if isAsked(.phone) {
            add("phone", type: "tel", autocomplete: "tel", required: required.contains(.phone), hint: strings["form.phone_hint"])
        }
        if isAsked(.postalCode) {
            add(
                "postal_code",
                type: "text",
                autocomplete: "postal-code",
                required: required.contains(.postalCode),
                hint: strings["form.postal_code_hint"]
            )
        }
        if isAsked(.role) {
            let chosen = values["role"] ?? ""
            let options =
                [Option(value: "", label: strings["form.choose"], selected: chosen.isEmpty)]
                + SupporterRole.allCases.map { role in
                    Option(
                        value: role.rawValue,
                        label: strings["form.role_\(role.rawValue.replacingOccurrences(of: " ", with: "_"))"],
                        selected: chosen == role.rawValue
                    )
                }
            add("role", type: "select", autocomplete: "off", required: required.contains(.role), options: options)
        }
        if isAsked(.school) {
            add("school", type: "text", autocomplete: "organization", required: required.contains(.school))
        }
        if isAsked(.preferredLanguage) {
            // The page's language unless the person chose another.
            let chosen = values["preferred_language"] ?? language.code
            let options = SupporterLanguage.codes.map { code in
                Option(value: code, label: strings["language.\(code)"], selected: chosen == code)
            }
            add("preferred_language", type: "select", autocomplete: "language", required: required.contains(.preferredLanguage), options: options)
        }
        if includeGuests {
            add("guests", type: "number", autocomplete: "off", required: false, hint: strings["form.guests_hint"])
        }
        self.fields = fields
        emailOptIn = Checkbox(
            id: "field-email-opt-in",
            name: "email_opt_in",
            label: strings["form.email_opt_in"],
            checked: values["email_opt_in"] == "yes"
        )
        smsOptIn =
            isAsked(.phone)
            ? Checkbox(id: "field-sms-opt-in", name: "sms_opt_in", label: strings["form.sms_opt_in"], checked: values["sms_opt_in"] == "yes") : nil
        hasErrors = !errors.isEmpty
        errorSummary = errors.fields.compactMap { name in
            guard let key = errors[name] else { return nil }
            let id = name == "form" ? "field-given-name" : "field-\(name.replacingOccurrences(of: "_", with: "-"))"
            return ErrorLink(text: strings[key], target: "#\(id)")
        }
    }
}
