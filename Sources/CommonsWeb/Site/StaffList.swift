import CommonsCore
import Foundation
import Hummingbird

/// A staff list: a heading, a "new" link, and a table whose first column links to each item.
struct StaffListPage {
    struct Row {
        let title: String
        let url: String
        let cells: [String]
    }

    let layout: StaffLayout
    let heading: String
    let newURL: String?
    let newLabel: String
    let columns: [String]
    let rows: [Row]
}

extension Site {
    /// A staff list page, framed for the signed-in person.
    func staffList(
        heading: String,
        path: String,
        newURL: String?,
        newLabel: String,
        columns: [String],
        rows: [StaffListPage.Row],
        staff: StaffIdentity,
        language: Language
    ) async throws -> Response {
        let layout = try await staffLayout(title: heading, path: path, staff: staff, language: language)
        let model = StaffListPage(layout: layout, heading: heading, newURL: newURL, newLabel: newLabel, columns: columns, rows: rows)
        return views.page(.staffList, model)
    }
}
