import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// A member organization named on a campaign's or an event's page.
struct CoalitionMemberLink {
    let name: String
    let url: String

    init(_ member: Member, language: Language) {
        name = member.name
        url = SitePath.member(in: language, member.slug)
    }
}

/// `/coalition`: the member organizations, filtered by area served and language spoken.
struct CoalitionList {
    struct Card {
        let name: String
        let contentLang: String?
        let url: String
        let logoURL: String?
        let areasText: String?
        let languagesText: String?
    }

    let layout: Layout
    let heading: String
    let filterAction: String
    let areaOptions: [ActionForm.Option]
    let languageOptions: [ActionForm.Option]
    let members: [Card]
    let hasMembers: Bool
    /// "3 organizations", or that none match the filters.
    let countText: String
}

/// `/coalition/SLUG`: one member organization and what it co-sponsors.
struct MemberShow {
    struct Item {
        let title: String
        let url: String
        let detail: String?
    }

    let layout: Layout
    let name: String
    let contentLang: String?
    let untranslatedNote: String?
    let descriptionHTML: String
    let logoURL: String?
    let website: String?
    let areasText: String?
    let languagesText: String?
    let contact: String?
    let campaigns: [Item]
    let events: [Item]
    let hasCosponsored: Bool
}

extension Member {
    /// "Spanish, Bengali", in the reader's language; nil when none are listed.
    func languagesText(_ strings: StringCatalog) -> String? {
        languageList.isEmpty ? nil : languageList.map { strings["language.\($0)"] }.joined(separator: ", ")
    }

    func logoURL() -> String? {
        guard logo != nil else { return nil }
        // The version in the address lets the logo be cached for good and still change.
        let version = updatedAt.map { String(Int($0.timeIntervalSince1970)) } ?? "0"
        return SitePath.memberLogo(slug) + "?v=\(version)"
    }
}
