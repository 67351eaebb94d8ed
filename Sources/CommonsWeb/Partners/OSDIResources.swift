import CommonsAccounts
import CommonsOrganizing
import Crypto
import Foundation

/// The API's resources in OSDI 1.1's shape (HAL+JSON), built from domain records. Every field
/// here is in `openapi.json`, and the tests validate real answers against it.
enum OSDI {
    struct Link: Encodable {
        let href: String
    }

    struct EmailAddress: Encodable {
        let address: String
        let primary: Bool
        let status: String
    }

    struct PhoneNumber: Encodable {
        let number: String
        let primary: Bool
        let number_type: String
        let status: String
    }

    struct PostalAddress: Encodable {
        let postal_code: String
        let primary: Bool
    }

    struct Person: Encodable {
        let identifiers: [String]
        let created_date: String
        let modified_date: String
        let given_name: String?
        let family_name: String?
        let email_addresses: [EmailAddress]
        let phone_numbers: [PhoneNumber]
        let postal_addresses: [PostalAddress]
        let languages_spoken: [String]
        let custom_fields: [String: String]
        let tags: [String]
        let _links: [String: Link]
    }

    struct Tag: Encodable {
        let identifiers: [String]
        let name: String
        let total_taggings: Int
        let _links: [String: Link]
    }

    struct Tagging: Encodable {
        let identifiers: [String]
        let _links: [String: Link]
    }

    /// A petition or a sign-up form: both are campaigns.
    struct Campaign: Encodable {
        let identifiers: [String]
        let created_date: String
        let modified_date: String
        let title: String
        let description: String
        let browser_url: String
        let status: String
        let petition_text: String?
        let target: [[String: String]]?
        let total_signatures: Int?
        let total_submissions: Int?
        let _links: [String: Link]
    }

    struct Event: Encodable {
        let identifiers: [String]
        let created_date: String
        let modified_date: String
        let title: String
        let description: String
        let browser_url: String
        let start_date: String
        let end_date: String
        let status: String
        let capacity: Int?
        let total_accepted: Int
        let location: [String: String]
        let _links: [String: Link]
    }

    /// A signature, a submission or an attendance: an action on the person's record.
    struct Action: Encodable {
        let identifiers: [String]
        let created_date: String
        let modified_date: String
        let status: String?
        let guests: Int?
        let _links: [String: Link]
    }

    /// One page of a collection.
    struct Collection<Item: Encodable>: Encodable {
        let total_pages: Int
        let per_page: Int
        let page: Int
        let total_records: Int
        let _links: [String: Link]
        let _embedded: [String: [Item]]
    }
}
