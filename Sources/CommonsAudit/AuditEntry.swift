import FluentKit
import Foundation

/// One line of the audit log: who did what to which record, and when. Ids only, never names,
/// emails or phones. No code path updates or deletes a line.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "action") public var action: String
    @OptionalField(key: "subject_type") public var subjectType: String?
    @OptionalField(key: "subject_id") public var subjectID: String?
    /// Plain facts about the act, such as an export's filter and row count; never personal data.
    @Field(key: "detail") public var detail: String

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] { [$id, $at, $actorID, $action, $subjectType, $subjectID, $detail] }

    public init() {}
}
