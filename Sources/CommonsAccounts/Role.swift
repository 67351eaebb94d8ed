/// What a staff member may do on the site.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Everything: accounts, settings, API tokens, the audit log, exports.
    case admin
    /// Campaigns, events and supporters: view, edit, tag, export.
    case organizer
    /// Posts, pages and documents; never supporter data.
    case editor

    /// The areas of the staff site, each guarded by a role check on every route.
    public enum Area: String, Sendable, CaseIterable {
        /// Posts, pages, documents.
        case content
        /// Campaigns and events.
        case organizing
        /// Supporters' personal data and its export.
        case supporters
        /// Staff accounts, site settings, the audit log.
        case administration
    }

    /// The permission table (docs/PERMISSIONS.md says the same in words).
    public func may(_ area: Area) -> Bool {
        switch (self, area) {
        case (.admin, _): true
        case (.organizer, .organizing), (.organizer, .supporters): true
        case (.editor, .content): true
        default: false
        }
    }
}
