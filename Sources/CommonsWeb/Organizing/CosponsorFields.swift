import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// The co-sponsor boxes of the campaign and event editors: one per member organization.
extension Site {
    static func cosponsorField(_ id: UUID) -> String { "cosponsor_\(id.uuidString.lowercased())" }

    func cosponsorFields(values: [String: String], strings: StringCatalog) async throws -> [StaffField] {
        try await coalition.all().compactMap { member in
            guard let id = member.id else { return nil }
            return StaffField(
                Self.cosponsorField(id),
                .checkbox,
                label: strings.format("staff.cosponsored_by", ["member": member.name]),
                values: values,
                errors: [:]
            )
        }
    }

    /// The form's values for the members co-sponsoring now.
    func cosponsorValues(_ members: [Member]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: members.compactMap { $0.id }.map { (Self.cosponsorField($0), "yes") })
    }

    /// The members ticked on the form.
    func cosponsorsTicked(_ fields: [String: String]) async throws -> [UUID] {
        try await coalition.all().compactMap(\.id).filter { fields[Self.cosponsorField($0)] == "yes" }
    }
}
