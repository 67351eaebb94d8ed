import CommonsCore
import FluentKit
import Foundation

/// What an organizer fills in to start or change a campaign.
public struct CampaignDraft: Sendable {
    public var title: String
    public var slug: String?
    public var kind: Campaign.Kind
    public var description: String
    public var petitionText: String
    public var petitionTarget: String
    public var goal: Int?
    public var status: Campaign.Status
    public var thankYou: String
    public var featured: Bool
    public var supporterTags: [String]
    public var askedFields: Set<PersonField>
    public var requiredFields: Set<PersonField>
    /// Write to each person who signs, in their language.
    public var sendsConfirmation: Bool
    /// Ask each new subscriber to confirm from their inbox before email news counts.
    public var doubleOptIn: Bool
    /// The member organizations co-sponsoring it; nil keeps those named.
    public var cosponsors: [UUID]?

    public init(
        title: String,
        slug: String? = nil,
        kind: Campaign.Kind = .signup,
        description: String,
        petitionText: String = "",
        petitionTarget: String = "",
        goal: Int? = nil,
        status: Campaign.Status = .open,
        thankYou: String = "",
        featured: Bool = false,
        supporterTags: [String] = [],
        askedFields: Set<PersonField> = [],
        requiredFields: Set<PersonField> = [],
        sendsConfirmation: Bool = true,
        doubleOptIn: Bool = false,
        cosponsors: [UUID]? = nil
    ) {
        self.title = title
        self.slug = slug
        self.kind = kind
        self.description = description
        self.petitionText = petitionText
        self.petitionTarget = petitionTarget
        self.goal = goal
        self.status = status
        self.thankYou = thankYou
        self.featured = featured
        self.supporterTags = supporterTags
        self.askedFields = askedFields
        self.requiredFields = requiredFields
        self.sendsConfirmation = sendsConfirmation
        self.doubleOptIn = doubleOptIn
        self.cosponsors = cosponsors
    }
}

/// The coalition's campaigns.
public struct CampaignDirectory: Sendable {
    /// A petition's goal is a number of people: more than any city has is a typing mistake.
    public static let maximumGoal = 10_000_000

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Creates a campaign; featuring it un-features any other, in the same transaction.
    @discardableResult
    public func create(_ draft: CampaignDraft) async throws -> Campaign {
        try await save(draft, into: Campaign())
    }

    /// Changes a campaign: its texts, its form, closing or reopening it, featuring it.
    @discardableResult
    public func update(_ id: UUID, with draft: CampaignDraft) async throws -> Campaign {
        guard let campaign = try await Campaign.find(id, on: database) else { throw OrganizingError.notFound }
        return try await save(draft, into: campaign)
    }

    public func campaign(id: UUID) async throws -> Campaign? {
        try await Campaign.find(id, on: database)
    }

    private func save(_ draft: CampaignDraft, into campaign: Campaign) async throws -> Campaign {
        var errors = ValidationErrors()
        let (title, slug) = try await TitleAndSlug.check(title: draft.title, slug: draft.slug, errors: &errors) { slug in
            let clash = try await Campaign.query(on: database).filter(\.$slug == slug).first()
            return clash != nil && clash?.id != campaign.id
        }
        if draft.kind == .petition && draft.petitionText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add(field: "petition_text", message: "error.petition_text_required")
        }
        if let goal = draft.goal, !(1...Self.maximumGoal).contains(goal) { errors.add(field: "goal", message: "error.goal_invalid") }
        if !draft.requiredFields.isSubset(of: PersonField.optional) || !draft.askedFields.isSubset(of: PersonField.optional) {
            errors.add(field: "asked_fields", message: "error.asked_fields_invalid")
        }
        try errors.throwIfAny()

        return try await database.transaction { db in
            // At most one campaign is featured on the home page.
            if draft.featured {
                try await Campaign.query(on: db).set(\.$featured, to: false).update()
            }
            campaign.slug = slug
            campaign.title = title
            campaign.kind = draft.kind
            campaign.description = draft.description
            campaign.petitionText = draft.petitionText
            campaign.petitionTarget = draft.petitionTarget
            campaign.goal = draft.goal
            campaign.status = draft.status
            campaign.thankYou = draft.thankYou
            campaign.featured = draft.featured
            campaign.supporterTags = draft.supporterTags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ",")
            campaign.askedFields = PersonField.list(draft.askedFields.union(draft.requiredFields))
            campaign.requiredFields = PersonField.list(draft.requiredFields)
            campaign.sendsConfirmation = draft.sendsConfirmation
            campaign.doubleOptIn = draft.doubleOptIn
            try await campaign.save(on: db)
            if let cosponsors = draft.cosponsors { try await Coalition.setCosponsors(cosponsors, campaign: campaign.requireID(), on: db) }
            return campaign
        }
    }

    public func campaign(slug: String) async throws -> Campaign? {
        try await Campaign.query(on: database).filter(\.$slug == slug).first()
    }

    /// How many people have signed a petition (or joined a sign-up): the public count.
    public func actionCount(for campaign: Campaign) async throws -> Int {
        try await Action.query(on: database).filter(\.$campaign.$id == campaign.requireID()).count()
    }

    /// Every campaign, for the sitemap.
    public func all() async throws -> [Campaign] {
        try await Campaign.query(on: database).sort(\.$slug).all()
    }

    /// The campaign shown on the home page, if one is featured.
    public func featured() async throws -> Campaign? {
        try await Campaign.query(on: database).filter(\.$featured == true).first()
    }
}

public enum OrganizingError: NotFoundError, Equatable {
    case notFound
}
