import CommonsContent
import CommonsCore
import FluentKit
import Foundation
import SQLKit

/// What an editor fills in for a member organization.
public struct MemberDraft: Sendable {
    public var name: String
    public var slug: String?
    /// Markdown.
    public var description: String
    public var website: String
    /// Boroughs or neighbourhoods, as typed, comma-separated.
    public var areas: String
    /// Language codes of the languages its staff speak.
    public var languages: [String]
    public var contact: String
    /// Nil puts a new member last and keeps a member's place.
    public var position: Int?
    /// A new logo; nil keeps the one there.
    public var logo: [UInt8]?
    public var removesLogo: Bool

    public init(
        name: String,
        slug: String? = nil,
        description: String = "",
        website: String = "",
        areas: String = "",
        languages: [String] = [],
        contact: String = "",
        position: Int? = nil,
        logo: [UInt8]? = nil,
        removesLogo: Bool = false
    ) {
        self.name = name
        self.slug = slug
        self.description = description
        self.website = website
        self.areas = areas
        self.languages = languages
        self.contact = contact
        self.position = position
        self.logo = logo
        self.removesLogo = removesLogo
    }
}

/// How many sign-ups came through one member's embedded forms, for one campaign or event.
public struct PartnerCount: Sendable, Equatable {
    public let title: String
    public let count: Int
}

/// The coalition's member organizations, and which campaigns and events they co-sponsor.
public struct Coalition: Sendable {
    public static let descriptionLimit = 10_000
    public static let logoLimit = 1_000_000
    public static let areaLimit = 20
    public static let positionLimit = 100_000

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Every member, in the coalition's order.
    public func all() async throws -> [Member] {
        try await Member.query(on: database).sort(\.$position).sort(\.$name).all()
    }

    /// Every member's name by id: what a person's record says their actions came through.
    public func names() async throws -> [UUID: String] {
        Dictionary(
            uniqueKeysWithValues: try await Member.query(on: database).field(\.$id).field(\.$name).all().compactMap { m in m.id.map { ($0, m.name) } }
        )
    }

    /// The members serving `area` (any, when nil) whose staff speak `language` (any, when nil).
    public func members(area: String? = nil, language: String? = nil) async throws -> [Member] {
        let wanted = area.map { $0.lowercased() }
        return try await all().filter { member in
            (wanted == nil || member.areaList.contains { $0.lowercased() == wanted })
                && (language == nil || member.languageList.contains(language!))
        }
    }

    /// Every area some member serves, as first written, in alphabetical order.
    public func areas() async throws -> [String] {
        var seen: [String: String] = [:]
        for member in try await all() {
            for area in member.areaList where seen[area.lowercased()] == nil { seen[area.lowercased()] = area }
        }
        return seen.values.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    }

    public func member(slug: String) async throws -> Member? {
        try await Member.query(on: database).filter(\.$slug == slug).first()
    }

    public func member(id: UUID) async throws -> Member? {
        try await Member.find(id, on: database)
    }

    @discardableResult
    public func add(_ draft: MemberDraft) async throws -> Member {
        let member = Member()
        try await check(draft, into: member)
        try await member.create(on: database)
        return member
    }

    @discardableResult
    public func update(_ id: UUID, with draft: MemberDraft) async throws -> Member {
        guard let member = try await Member.find(id, on: database) else { throw OrganizingError.notFound }
        try await check(draft, into: member)
        try await member.save(on: database)
        return member
    }

    /// Removes a member, its co-sponsorships, and the mark it left on actions (the sign-ups stay).
    public func delete(_ id: UUID) async throws {
        try await database.transaction { db in
            guard let member = try await Member.find(id, on: db) else { throw OrganizingError.notFound }
            try await Cosponsorship.query(on: db).filter(\.$member.$id == id).delete()
            try await Action.query(on: db).filter(\.$viaMemberID == id).set(\.$viaMemberID, to: nil).update()
            try await member.delete(on: db)
        }
    }

    /// The members co-sponsoring a campaign, in the coalition's order.
    public func cosponsors(ofCampaign id: UUID) async throws -> [Member] {
        try await cosponsors(Cosponsorship.query(on: database).filter(\.$campaign.$id == id))
    }

    public func cosponsors(ofEvent id: UUID) async throws -> [Member] {
        try await cosponsors(Cosponsorship.query(on: database).filter(\.$event.$id == id))
    }

    private func cosponsors(_ query: QueryBuilder<Cosponsorship>) async throws -> [Member] {
        let ids = Set(try await query.all(\.$member.$id))
        guard !ids.isEmpty else { return [] }
        return try await Member.query(on: database).filter(\.$id ~~ ids).sort(\.$position).sort(\.$name).all()
    }

    /// The campaigns and events a member co-sponsors.
    public func cosponsored(by id: UUID) async throws -> (campaigns: [Campaign], events: [Event]) {
        let rows = try await Cosponsorship.query(on: database).filter(\.$member.$id == id).all()
        let campaignIDs = rows.compactMap { $0.$campaign.id }
        let eventIDs = rows.compactMap { $0.$event.id }
        let campaigns = campaignIDs.isEmpty ? [] : try await Campaign.query(on: database).filter(\.$id ~~ campaignIDs).sort(\.$title).all()
        let events = eventIDs.isEmpty ? [] : try await Event.query(on: database).filter(\.$id ~~ eventIDs).sort(\.$startsAt).all()
        return (campaigns, events)
    }

    /// Names exactly `members` as a campaign's co-sponsors (unknown ids are ignored), in `db`'s
    /// transaction.
    static func setCosponsors(_ members: [UUID], campaign: UUID, on db: any Database) async throws {
        try await Cosponsorship.query(on: db).filter(\.$campaign.$id == campaign).delete()
        try await add(members, on: db) { $0.$campaign.id = campaign }
    }

    static func setCosponsors(_ members: [UUID], event: UUID, on db: any Database) async throws {
        try await Cosponsorship.query(on: db).filter(\.$event.$id == event).delete()
        try await add(members, on: db) { $0.$event.id = event }
    }

    private static func add(_ members: [UUID], on db: any Database, naming: (Cosponsorship) -> Void) async throws {
        let wanted = Array(Set(members))
        guard !wanted.isEmpty else { return }
        let known = try await Member.query(on: db).filter(\.$id ~~ wanted).all(\.$id)
        for id in known {
            let row = Cosponsorship()
            row.$member.id = id
            naming(row)
            try await row.create(on: db)
        }
    }

    /// Sign-ups through a member's embedded forms, per campaign and event, most first. Counts only.
    public func partnerCounts(of id: UUID) async throws -> [PartnerCount] {
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw(
            """
            SELECT COALESCE(c.title, e.title) AS title, COUNT(*) AS count FROM \(ident: Action.schema) a
            LEFT JOIN \(ident: Campaign.schema) c ON c.id = a.campaign_id
            LEFT JOIN \(ident: Event.schema) e ON e.id = a.event_id
            WHERE a.via_member_id = \(bind: id) AND (a.campaign_id IS NOT NULL OR a.event_id IS NOT NULL)
            GROUP BY COALESCE(c.title, e.title) ORDER BY count DESC, title
            """
        ).all()
        return try rows.map {
            PartnerCount(title: try $0.decode(column: "title", as: String.self), count: try $0.decode(column: "count", as: Int.self))
        }
    }

    /// Fills `member` from `draft` when every field is right; throws `ValidationErrors` otherwise.
    func check(_ draft: MemberDraft, into member: Member) async throws {
        var errors = ValidationErrors()
        let id = member.id
        let (name, slug) = try await TitleAndSlug.check(title: draft.name, slug: draft.slug ?? member.$slug.value, errors: &errors) { slug in
            let query = Member.query(on: database).filter(\.$slug == slug)
            if let id { query.filter(\.$id != id) }
            return try await query.first() != nil
        }
        let description = draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > Self.descriptionLimit { errors.add(field: "description", message: "error.member_description_too_long") }
        let website = draft.website.trimmingCharacters(in: .whitespaces)
        if !website.isEmpty, !WebAddress.isLink(website) { errors.add(field: "website", message: "error.member_website") }
        let areas = draft.areas.split(separator: ",").map { PlainText.line(String($0)) }.filter { !$0.isEmpty }
        if areas.count > Self.areaLimit || areas.contains(where: { $0.count > 100 }) {
            errors.add(field: "areas", message: "error.member_areas")
        }
        let languages = Language.known.map(\.code).filter { draft.languages.contains($0) }
        let contact = PlainText.line(draft.contact)
        if contact.count > 200 { errors.add(field: "contact", message: "error.member_contact") }
        if let position = draft.position, !(0...Self.positionLimit).contains(position) {
            errors.add(field: "position", message: "error.member_position")
        }
        var logo: (bytes: Data, type: String)?
        if let bytes = draft.logo, !bytes.isEmpty {
            if bytes.count > Self.logoLimit {
                errors.add(field: "logo", message: "error.logo_too_large")
            } else if let file = LogoFile.check(bytes) {
                logo = (file.bytes, file.contentType)
            } else {
                errors.add(field: "logo", message: "error.logo_type")
            }
        }
        try errors.throwIfAny()

        member.name = name
        member.slug = slug
        member.description = description
        member.website = website
        member.areas = areas.joined(separator: ", ")
        member.languages = languages.joined(separator: ",")
        member.contact = contact
        if let position = draft.position {
            member.position = position
        } else if member.id == nil {
            member.position = (try await Member.query(on: database).max(\.$position) ?? 0) + 1
        }
        if let logo {
            member.logo = logo.bytes
            member.logoType = logo.type
        } else if draft.removesLogo || member.id == nil {
            member.logo = nil
            member.logoType = ""
        }
    }
}
