import CommonsPrivacy
import FluentKit
import Foundation

/// Seals a supporter's personal values into their row and opens them again; finds a
/// supporter by email or phone through blind indexes, without decrypting the table.
public struct SupporterVault: Sendable {
    let cipher: FieldCipher
    let index: BlindIndex

    public init(keys: DataKeys) {
        cipher = FieldCipher(keys: keys)
        index = BlindIndex(keys: keys)
    }

    public func emailIndex(_ normalizedEmail: String) -> String { index.hash(normalizedEmail, purpose: "email") }
    public func phoneIndex(_ e164: String) -> String { index.hash(e164, purpose: "phone") }

    /// A new supporter's id. Ids made in the same minute share their first four bytes and
    /// follow each other by the millisecond, so the indexes on supporter ids (the supporters'
    /// own, and those of their actions, tags and changes) grow in one place while a crowd signs
    /// up, instead of each new supporter dirtying a random page of each. The shared bytes are
    /// a keyed hash of the minute, not the time: an id in an unsubscribe link or a staff
    /// page's address does not tell anyone without the data key when the person joined. What
    /// it does tell someone holding two ids is whether they were made in the same minute, and
    /// how far apart.
    func newSupporterID(at date: Date) -> UUID {
        UUID.grouped(at: date) { minute in index.prefix(String(minute), purpose: "supporter-id") }
    }

    /// Writes `person` into `supporter`, which must already have its id.
    func seal(_ person: Person, into supporter: Supporter) throws {
        let id = try supporter.requireID()
        func sealed(_ value: String?, _ column: String) throws -> Data? {
            try value.map { try cipher.seal($0, table: Supporter.schema, column: column, rowID: id) }
        }
        supporter.givenName = try sealed(person.givenName, "given_name")
        supporter.familyName = try sealed(person.familyName, "family_name")
        supporter.email = try sealed(person.email, "email")
        supporter.emailIndex = person.email.map(emailIndex)
        supporter.phone = try sealed(person.phone, "phone")
        supporter.phoneIndex = person.phone.map(phoneIndex)
        supporter.school = try sealed(person.school, "school")
        supporter.nameIndex = nameIndex(person)
        supporter.postalCode = person.postalCode
        supporter.preferredLanguage = person.preferredLanguage
        supporter.role = person.role
    }

    /// The supporter's values in the clear. Throws when a value was moved from another row
    /// or written with another key.
    public func open(_ supporter: Supporter) throws -> Person {
        let id = try supporter.requireID()
        func opened(_ value: Data?, _ column: String) throws -> String? {
            try value.map { try cipher.open($0, table: Supporter.schema, column: column, rowID: id) }
        }
        return Person(
            givenName: try opened(supporter.givenName, "given_name"),
            familyName: try opened(supporter.familyName, "family_name"),
            email: try opened(supporter.email, "email"),
            phone: try opened(supporter.phone, "phone"),
            postalCode: supporter.postalCode,
            preferredLanguage: supporter.preferredLanguage,
            role: supporter.role,
            school: try opened(supporter.school, "school")
        )
    }

    /// Seals what a form said into its action, which must already have its id.
    func sealSubmission(_ person: Person, into action: Action) throws {
        let id = try action.requireID()
        let json = String(decoding: try JSONEncoder().encode(person), as: UTF8.self)
        action.submitted = try cipher.seal(json, table: Action.schema, column: "submitted", rowID: id)
    }

    /// What the action's form said, in the clear; nil for actions stored before submissions were kept.
    public func submission(of action: Action) throws -> Person? {
        guard let sealed = action.submitted else { return nil }
        let json = try cipher.open(sealed, table: Action.schema, column: "submitted", rowID: try action.requireID())
        return try JSONDecoder().decode(Person.self, from: Data(json.utf8))
    }

    /// The supporter with this email, else the one with this phone.
    func find(email: String?, phone: String?, on database: any Database) async throws -> Supporter? {
        if let email, let found = try await Supporter.query(on: database).filter(\.$emailIndex ~~ index.hashes(email, purpose: "email")).first() {
            return found
        }
        if let phone, let found = try await Supporter.query(on: database).filter(\.$phoneIndex ~~ index.hashes(phone, purpose: "phone")).first() {
            return found
        }
        return nil
    }

    /// True when every personal value of the row is sealed with the current key version.
    func isCurrent(_ supporter: Supporter, version: UInt8) -> Bool {
        [supporter.givenName, supporter.familyName, supporter.email, supporter.phone, supporter.school].allSatisfy { value in
            value.map { FieldCipher.version(of: $0) == version } ?? true
        }
    }

    /// The email and phone hashes under every key version, for searches.
    func emailIndexes(_ email: String) -> [String] { index.hashes(email, purpose: "email") }
    func phoneIndexes(_ phone: String) -> [String] { index.hashes(phone, purpose: "phone") }

    /// The words of a name as a name search compares them: case and accents folded, split at
    /// anything that is not a letter or a digit.
    public static func nameWords(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split { !$0.isLetter && !$0.isNumber }
            .map(String.init)
    }

    /// The distinct words of a person's given and family names, as `nameWords` reads them.
    static func nameWords(of person: Person) -> Set<String> {
        Set(nameWords([person.givenName, person.familyName].compactMap { $0 }.joined(separator: " ")))
    }

    /// A supporter's name as the list searches it: a keyed hash (HMAC under the current key
    /// version, cut to 12 hex digits) of each distinct word of the given and family names,
    /// sorted, joined and enclosed by spaces (" 3f… a1… "), so `LIKE '% HASH %'` finds a word.
    /// Without the key the hashes reveal only which rows share a name word and how often a
    /// word occurs; the cut makes unrelated words collide now and then, which the search
    /// settles by opening its few candidates.
    func nameIndex(_ person: Person) -> String {
        let words = Self.nameWords(of: person)
        guard !words.isEmpty else { return " " }
        return " " + words.map { Self.cut(index.hash($0, purpose: "name-word")) }.sorted().joined(separator: " ") + " "
    }

    /// The hashes of one name word under every key version, for searches.
    func nameWordIndexes(_ word: String) -> [String] { index.hashes(word, purpose: "name-word").map(Self.cut) }

    private static func cut(_ hash: String) -> String { String(hash.prefix(12)) }

    /// Looks a supporter up by email, for staff search and tests.
    public func supporter(withEmail email: String, on database: any Database) async throws -> Supporter? {
        try await Supporter.query(on: database).filter(\.$emailIndex ~~ index.hashes(Normalization.email(email), purpose: "email")).first()
    }
}
