import CommonsAccounts
import CommonsCore
import CommonsOrganizing
import Crypto
import Foundation

/// Each resource made from its domain record.
extension OSDI {
    static func date(_ date: Date?) -> String {
        date.map(InternetDate.iso8601) ?? "1970-01-01T00:00:00Z"
    }

    static func identifiers(_ id: UUID) -> [String] { ["commons:\(id.uuidString.lowercased())"] }

    static func person(_ record: SupporterRecord, base: String) -> Person {
        let supporter = record.supporter
        let person = record.person
        let id = supporter.id!
        return Person(
            identifiers: identifiers(id),
            created_date: date(supporter.createdAt),
            modified_date: date(supporter.updatedAt ?? supporter.createdAt),
            given_name: person.givenName,
            family_name: person.familyName,
            email_addresses: person.email.map {
                [EmailAddress(address: $0, primary: true, status: supporter.emailOptIn ? "subscribed" : "unsubscribed")]
            } ?? [],
            phone_numbers: person.phone.map {
                [PhoneNumber(number: $0, primary: true, number_type: "Mobile", status: supporter.smsOptIn ? "subscribed" : "unsubscribed")]
            } ?? [],
            postal_addresses: person.postalCode.map { [PostalAddress(postal_code: $0, primary: true)] } ?? [],
            languages_spoken: person.preferredLanguage.map { [$0] } ?? [],
            custom_fields: ["role": person.role, "school": person.school].compactMapValues { $0 },
            tags: record.tags,
            _links: ["self": Link(href: base + APIPath.person(id))]
        )
    }

    /// A tag's id: its name would need escaping in a path, so the id is the first 16 bytes of
    /// the name's SHA-256 in hex, stable for as long as the name is used.
    static func tagID(_ name: String) -> String {
        Hex.string(SHA256.hash(data: Data(name.utf8)).prefix(16))
    }

    static func tag(_ use: TagUse, base: String) -> Tag {
        let id = tagID(use.name)
        return Tag(
            identifiers: ["commons:tag:\(id)"],
            name: use.name,
            total_taggings: use.count,
            _links: ["self": Link(href: base + APIPath.tag(id)), "osdi:taggings": Link(href: base + APIPath.taggings(id))]
        )
    }

    static func tagging(_ tagging: SupporterTag, tagID: String, base: String) -> Tagging {
        Tagging(
            identifiers: identifiers(tagging.id!),
            _links: ["osdi:person": Link(href: base + APIPath.person(tagging.$supporter.id)), "osdi:tag": Link(href: base + APIPath.tag(tagID))]
        )
    }

    static func campaign(_ campaign: CommonsOrganizing.Campaign, actions: Int, base: String) -> Campaign {
        let id = campaign.id!
        let isPetition = campaign.kind == .petition
        let collection = isPetition ? APIPath.signatures(id) : APIPath.submissions(id)
        return Campaign(
            identifiers: identifiers(id),
            created_date: date(campaign.createdAt),
            modified_date: date(campaign.updatedAt ?? campaign.createdAt),
            title: campaign.title,
            description: campaign.descriptionHTML,
            browser_url: base + SitePath.campaign(campaign.slug),
            status: campaign.status.rawValue,
            petition_text: isPetition ? campaign.petitionText : nil,
            target: isPetition && !campaign.petitionTarget.isEmpty ? [["name": campaign.petitionTarget]] : nil,
            total_signatures: isPetition ? actions : nil,
            total_submissions: isPetition ? nil : actions,
            _links: [
                "self": Link(href: base + (isPetition ? APIPath.petition(id) : APIPath.form(id))),
                isPetition ? "osdi:signatures" : "osdi:submissions": Link(href: base + collection),
            ]
        )
    }

    static func event(_ event: CommonsOrganizing.Event, accepted: Int, base: String) -> Event {
        let id = event.id!
        return Event(
            identifiers: identifiers(id),
            created_date: date(event.createdAt),
            modified_date: date(event.updatedAt ?? event.createdAt),
            title: event.title,
            description: event.descriptionHTML,
            browser_url: base + SitePath.event(event.slug),
            start_date: date(event.startsAt),
            end_date: date(event.endsAt),
            status: event.status == .scheduled ? "confirmed" : "cancelled",
            capacity: event.capacity,
            total_accepted: accepted,
            location: ["venue": event.venue, "address": event.address].filter { !$0.value.isEmpty },
            _links: ["self": Link(href: base + APIPath.event(id)), "osdi:attendances": Link(href: base + APIPath.attendances(id))]
        )
    }

    static func action(_ action: CommonsOrganizing.Action, base: String) -> Action {
        let id = action.id!
        var links = ["osdi:person": Link(href: base + APIPath.person(action.$supporter.id))]
        switch action.kind {
        case .petition:
            if let campaign = action.$campaign.id {
                links["self"] = Link(href: base + APIPath.signature(campaign, id))
                links["osdi:petition"] = Link(href: base + APIPath.petition(campaign))
            }
        case .rsvp:
            if let event = action.$event.id {
                links["self"] = Link(href: base + APIPath.attendance(event, id))
                links["osdi:event"] = Link(href: base + APIPath.event(event))
            }
        default:
            if let campaign = action.$campaign.id {
                links["self"] = Link(href: base + APIPath.submission(campaign, id))
                links["osdi:form"] = Link(href: base + APIPath.form(campaign))
            }
        }
        return Action(
            identifiers: identifiers(id),
            created_date: date(action.createdAt),
            modified_date: date(action.confirmedAt ?? action.promotedAt ?? action.createdAt),
            status: action.kind == .rsvp ? (action.waitlisted ? "tentative" : "accepted") : nil,
            guests: action.kind == .rsvp ? action.guests : nil,
            _links: links
        )
    }
}
