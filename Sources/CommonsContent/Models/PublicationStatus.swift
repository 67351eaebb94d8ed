/// Where a post or page stands on its way to the public.
public enum PublicationStatus: String, Codable, Sendable, CaseIterable {
    /// Seen only by staff.
    case draft
    /// Appears by itself when its publish date comes.
    case scheduled
    /// Public from its publish date on.
    case published
}
