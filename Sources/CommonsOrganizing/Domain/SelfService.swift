import CommonsAudit
import CommonsCore
import CommonsPrivacy
import Crypto
import FluentKit
import Foundation
import SQLKit

/// Everything the coalition holds about one supporter, opened for them.
public struct SelfServiceReport: Sendable {
    public struct ActionItem: Sendable, Equatable, Codable {
        /// `signup`, `petition` or `rsvp`.
        public var kind: String
        public var title: String
        public var at: Date
        /// The member organization whose website the form was on.
        public var via: String?
        /// The version of the consent text shown when they said yes to news, if they did.
        public var consentVersion: String?
        public var emailOptIn: Bool
        public var smsOptIn: Bool
        public var guests: Int
        public var waitlisted: Bool
        /// The language of the page the form was on.
        public var language: String?
    }

    public var supporterID: UUID
    public var person: Person
    public var emailOptIn: Bool
    public var smsOptIn: Bool
    public var lastActionAt: Date
    public var actions: [ActionItem]
    /// The labels staff gave them (names only).
    public var tags: [String]
}

/// A supporter's own way to what the coalition holds about them: a link sent to their address
/// (30 minutes, once), then a short session in which they see and download it.
public struct SelfService: Sendable {
    public static let linkLifetime: TimeInterval = 30 * 60
    public static let sessionLifetime: TimeInterval = 30 * 60

    let database: any Database
    let vault: SupporterVault
    let clock: Clock

    public init(database: any Database, vault: SupporterVault, clock: Clock) {
        self.database = database
        self.vault = vault
        self.clock = clock
    }

    /// A new link for the supporter with this address, with what the message to them needs;
    /// nil when nobody has it (the caller answers the same either way).
    public func issueLink(email: String) async throws -> (supporterID: UUID, person: Person, token: String)? {
        let address = Normalization.email(email)
        guard EmailAddress.isValid(address), let supporter = try await vault.supporter(withEmail: address, on: database) else { return nil }
        let person = try vault.open(supporter)
        let token = SecretToken.make()
        let now = clock.now
        let link = SelfServiceLink()
        link.$supporter.id = try supporter.requireID()
        link.tokenHash = SecretToken.hash(token)
        link.createdAt = now
        link.expiresAt = now.addingTimeInterval(Self.linkLifetime)
        try await link.create(on: database)
        return (try supporter.requireID(), person, token)
    }

    /// Whether a link still works (not used, not expired). Looking changes nothing.
    public func isUsable(_ token: String) async throws -> Bool {
        guard Self.looksLikeToken(token) else { return false }
        let now = clock.now
        return try await SelfServiceLink.query(on: database).filter(\.$tokenHash == SecretToken.hash(token)).filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now).first() != nil
    }

    /// Uses a link up: the supporter it was for, once; nil when it is unknown, used or expired.
    /// One conditional `UPDATE` claims it, so two presses (or two servers) cannot both succeed.
    public func redeem(_ token: String) async throws -> UUID? {
        guard Self.looksLikeToken(token) else { return nil }
        let now = clock.now
        let hash = SecretToken.hash(token)
        return try await database.transaction { db -> UUID? in
            let claimed = try await (db as! any SQLDatabase).raw(
                """
                UPDATE \(ident: SelfServiceLink.schema) SET used_at = \(bind: now)
                WHERE token_hash = \(bind: hash) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING supporter_id
                """
            ).all()
            guard let row = claimed.first else { return nil }
            let supporterID = try row.decode(column: "supporter_id", as: UUID.self)
            try await record("opened", supporterID, on: db)
            return supporterID
        }
    }

    /// Links are 43 characters of base64url; anything else is not looked up.
    static func looksLikeToken(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    /// Everything held about the supporter, opened; nil when they are no longer there.
    public func report(_ supporterID: UUID) async throws -> SelfServiceReport? {
        guard let supporter = try await Supporter.find(supporterID, on: database) else { return nil }
        let person = try vault.open(supporter)
        let actions = try await Action.query(on: database).filter(\.$supporter.$id == supporterID).with(\.$campaign).with(\.$event)
            .sort(\.$createdAt, .descending).all()
        let members = try await Coalition(database: database).names()
        let tags = try await SupporterTag.query(on: database).filter(\.$supporter.$id == supporterID).sort(\.$name).all(\.$name)
        return SelfServiceReport(
            supporterID: supporterID,
            person: person,
            emailOptIn: supporter.emailOptIn,
            smsOptIn: supporter.smsOptIn,
            lastActionAt: supporter.lastActionAt,
            actions: actions.map { action in
                SelfServiceReport.ActionItem(
                    kind: action.kind.rawValue,
                    title: action.campaign?.title ?? action.event?.title ?? "",
                    at: action.createdAt,
                    via: action.viaMemberID.flatMap { members[$0] },
                    consentVersion: action.consentVersion,
                    emailOptIn: action.emailOptIn,
                    smsOptIn: action.smsOptIn,
                    guests: action.guests,
                    waitlisted: action.waitlisted,
                    language: action.language
                )
            },
            tags: tags
        )
    }

    /// The fields a person corrects themselves. Not the email: it is how they prove who they are.
    public static let correctable: [PersonField] = [.givenName, .familyName, .phone, .postalCode, .school, .preferredLanguage]

    /// Replaces the correctable fields with what the person typed (checked by `PersonForm`
    /// before), as a change on their record like any other; answers the fields that changed.
    @discardableResult
    public func correct(_ supporterID: UUID, to given: Person) async throws -> [PersonField] {
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(supporterID, on: db) else { throw SupporterError.notFound }
            let stored = try vault.open(supporter)
            var person = stored
            person.givenName = given.givenName
            person.familyName = given.familyName
            person.phone = given.phone
            person.postalCode = given.postalCode
            person.school = given.school
            person.preferredLanguage = given.preferredLanguage
            let changed = Self.correctable.filter { stored.value($0) != person.value($0) }
            guard !changed.isEmpty else { return [] }
            try vault.seal(person, into: supporter)
            try await supporter.update(on: db)
            try await SupporterChange.record(.updated, supporter: supporterID, at: clock.now, on: db)
            try await record("corrected", supporterID, detail: "fields=" + changed.map(\.rawValue).joined(separator: ","), on: db)
            return changed
        }
    }

    /// Email news and text messages on or off, each at once. Stopping is an action like the
    /// unsubscribe link's; starting again records the consent text they agreed to.
    public func setNews(_ supporterID: UUID, email: Bool, sms: Bool) async throws {
        guard let supporter = try await Supporter.find(supporterID, on: database) else { throw SupporterError.notFound }
        if supporter.emailOptIn && !email { try await Subscriptions(clock: clock).stop(supporterID, reason: .requested, on: database) }
        try await database.transaction { db in
            guard let supporter = try await Supporter.find(supporterID, on: db) else { throw SupporterError.notFound }
            let startsEmail = email && !supporter.emailOptIn
            let startsSMS = sms && !supporter.smsOptIn
            let stopsSMS = !sms && supporter.smsOptIn
            guard startsEmail || startsSMS || stopsSMS else { return }
            supporter.emailOptIn = email
            supporter.smsOptIn = sms
            try await supporter.update(on: db)
            if startsEmail || startsSMS {
                let action = Action()
                action.id = UUID.random()
                action.$supporter.id = supporterID
                action.kind = .signup
                action.formToken = "self-service:\(action.id!.uuidString.lowercased())"
                action.emailOptIn = email
                action.smsOptIn = sms
                action.consentVersion = ConsentText.version
                action.consentedAt = clock.now
                action.guests = 0
                action.waitlisted = false
                action.createdAt = clock.now
                try await action.create(on: db)
            }
            try await SupporterChange.record(.updated, supporter: supporterID, at: clock.now, on: db)
            try await record("news", supporterID, detail: "email=\(email ? "yes" : "no") sms=\(sms ? "yes" : "no")", on: db)
        }
    }

    /// Deletes the supporter with everything about them, in `db`'s transaction (the caller
    /// deletes their queued mail in the same one, then scrubs the freed pages), keeping only
    /// keyed hashes of their email and phone so an import never brings them back.
    public func erase(_ supporterID: UUID, on db: any Database) async throws {
        guard let supporter = try await Supporter.find(supporterID, on: db) else { throw SupporterError.notFound }
        let person = try vault.open(supporter)
        try await SupporterDirectory.remove(supporterID, on: db)
        if person.email != nil || person.phone != nil {
            let erased = ErasedPerson()
            erased.emailHash = person.email.flatMap { vault.emailIndexes($0).first }
            erased.phoneHash = person.phone.flatMap { vault.phoneIndexes($0).first }
            erased.createdAt = clock.now
            try await erased.create(on: db)
        }
        try await record("erased", supporterID, on: db)
    }

    /// A line in the audit log for something the person did themselves; never their data.
    public func record(_ what: String, _ supporterID: UUID, detail: String = "", on db: (any Database)? = nil) async throws {
        try await AuditLog(database: db ?? database).record(
            "supporter.self_service_\(what)",
            by: nil,
            subjectType: "supporter",
            subjectID: supporterID.uuidString,
            detail: detail,
            at: clock.now
        )
    }
}
