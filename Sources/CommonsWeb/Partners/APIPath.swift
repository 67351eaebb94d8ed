import Foundation

/// Every address of the API (see `SitePath` for the pattern): OSDI's entry point and collections.
enum APIPath {
    static let prefix = "/api/"
    static let entry = Route("/api/v1")
    static let openAPI = Route("/api/v1/openapi.json")
    static let people = Route("/api/v1/people")
    static let person = Route("/api/v1/people/:id")
    static let tags = Route("/api/v1/tags")
    static let tag = Route("/api/v1/tags/:id")
    static let taggings = Route("/api/v1/tags/:id/taggings")
    static let petitions = Route("/api/v1/petitions")
    static let petition = Route("/api/v1/petitions/:id")
    static let signatures = Route("/api/v1/petitions/:id/signatures")
    static let signature = Route("/api/v1/petitions/:id/signatures/:action")
    static let events = Route("/api/v1/events")
    static let event = Route("/api/v1/events/:id")
    static let attendances = Route("/api/v1/events/:id/attendances")
    static let attendance = Route("/api/v1/events/:id/attendances/:action")
    static let forms = Route("/api/v1/forms")
    static let form = Route("/api/v1/forms/:id")
    static let submissions = Route("/api/v1/forms/:id/submissions")
    static let submission = Route("/api/v1/forms/:id/submissions/:action")
}
