/// What was wrong with a value someone typed, keyed by the form field it belongs to.
///
/// Each message is a key into the string catalogs (for example `error.title_required`), so the
/// web layer can show it in the reader's language next to the field.
public struct ValidationErrors: Error, Sendable, Equatable {
    public private(set) var messages: [String: String] = [:]
    /// Field names in the order their errors were found, so a summary reads top to bottom.
    public private(set) var fields: [String] = []
    /// The values a message names, by field: `{ratio}` in "error.colour_contrast".
    public private(set) var values: [String: [String: String]] = [:]

    public init() {}

    public init(field: String, message: String) {
        add(field: field, message: message)
    }

    public mutating func add(field: String, message: String, values: [String: String] = [:]) {
        guard messages[field] == nil else { return }
        messages[field] = message
        fields.append(field)
        if !values.isEmpty { self.values[field] = values }
    }

    public var isEmpty: Bool { messages.isEmpty }

    /// Adds another set's errors, keeping this set's message where both name a field.
    public mutating func add(_ other: ValidationErrors) {
        for field in other.fields { add(field: field, message: other.messages[field] ?? "", values: other.values[field] ?? [:]) }
    }

    public subscript(field: String) -> String? { messages[field] }

    /// Throws self when any error was recorded.
    public func throwIfAny() throws {
        if !isEmpty { throw self }
    }
}
