import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// A field of a staff form, ready for `staff/form.mustache`.
struct StaffField {
    let id: String
    let name: String
    let label: String
    let hint: String?
    let error: String?
    let describedBy: String?
    let value: String
    let options: [ActionForm.Option]
    let checked: Bool
    let isTextarea: Bool
    let isSelect: Bool
    let isCheckbox: Bool
    let isFile: Bool
    /// The file types a file field's picker offers first.
    let accept: String?
    let isInput: Bool
    let type: String
    let rows: Int

    enum Kind {
        case text, email, url, number, date, datetime
        case textarea(rows: Int)
        case select([ActionForm.Option])
        case checkbox
        /// `accept` as the input's attribute says it (`.csv,text/csv`).
        case file(accept: String)
    }

    init(_ name: String, _ kind: Kind, label: String, hint: String? = nil, values: [String: String], errors: [String: String]) {
        let id = "staff-\(name.replacingOccurrences(of: "_", with: "-"))"
        self.id = id
        self.name = name
        self.label = label
        self.hint = hint
        error = errors[name]
        let ids = [hint.map { _ in "\(id)-hint" }, errors[name].map { _ in "\(id)-error" }].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
        value = values[name] ?? ""
        var options: [ActionForm.Option] = []
        var type = "text"
        var rows = 0
        switch kind {
        case .text: type = "text"
        case .email: type = "email"
        case .url: type = "url"
        case .number: type = "number"
        case .date: type = "date"
        case .datetime: type = "datetime-local"
        case .textarea(let count): rows = count
        case .select(let choices):
            options = choices.map { ActionForm.Option(value: $0.value, label: $0.label, selected: $0.value == (values[name] ?? "")) }
        case .checkbox, .file: break
        }
        if case .file(let types) = kind { accept = types } else { accept = nil }
        self.options = options
        self.type = type
        self.rows = rows
        checked = values[name] == "yes"
        if case .textarea = kind { isTextarea = true } else { isTextarea = false }
        if case .select = kind { isSelect = true } else { isSelect = false }
        if case .checkbox = kind { isCheckbox = true } else { isCheckbox = false }
        if case .file = kind { isFile = true } else { isFile = false }
        isInput = !isTextarea && !isSelect && !isCheckbox && !isFile
    }
}

/// A staff editing page: one form of fields, and any small forms beside it (delete, replace file).
struct StaffFormPage {
    struct SideForm {
        let action: String
        let label: String
        let danger: Bool
    }

    let layout: StaffLayout
    let heading: String
    let action: String
    let multipart: Bool
    let fields: [StaffField]
    let hasErrors: Bool
    let errorSummary: [ActionForm.ErrorLink]
    let submitLabel: String
    let links: [StaffLayout.NavigationItem]
    let sideForms: [SideForm]
    let previewHTML: String?
    let panels: [Panel]

    init(
        layout: StaffLayout,
        heading: String,
        action: String,
        multipart: Bool = false,
        fields: [StaffField],
        errors: ValidationErrors,
        strings: StringCatalog,
        submitLabel: String,
        links: [StaffLayout.NavigationItem] = [],
        sideForms: [SideForm] = [],
        previewHTML: String? = nil,
        panels: [Panel] = []
    ) {
        self.layout = layout
        self.heading = heading
        self.action = action
        self.multipart = multipart
        self.fields = fields
        hasErrors = !errors.isEmpty
        errorSummary = errors.fields.compactMap { name in
            errors[name].map { ActionForm.ErrorLink(text: strings[$0], target: "#staff-\(name.replacingOccurrences(of: "_", with: "-"))") }
        }
        self.submitLabel = submitLabel
        self.links = links
        self.sideForms = sideForms
        self.previewHTML = previewHTML
        self.panels = panels
    }

    /// Catalog keys of errors, turned into text by field.
    static func messages(_ errors: ValidationErrors, _ strings: StringCatalog) -> [String: String] {
        var result: [String: String] = [:]
        for field in errors.fields { result[field] = errors[field].map { strings.format($0, errors.values[field] ?? [:]) } }
        return result
    }
}

/// The staff editor flow, one for every editor: the errors found while reading the form
/// (`found`) and the domain's own are shown together on the editor again (422, values kept);
/// otherwise `save` makes the one domain call and names the page to go to (303).
func saveOrShowAgain(
    found: ValidationErrors = ValidationErrors(),
    save: () async throws -> String,
    showAgain: (ValidationErrors) async throws -> Response
) async throws -> Response {
    do {
        try found.throwIfAny()
        return Response.redirect(to: try await save(), type: .normal)
    } catch let problems as ValidationErrors {
        var all = found
        all.add(problems)
        return try await showAgain(all)
    }
}

extension Site {
    /// The one frame of every staff editor: the staff layout with its list marked current, the
    /// form (shown again with 422 and every error when a save failed), a link to what readers
    /// see when the item is public, and one link per translation for translatable originals.
    func staffEditor<Area: StaffArea>(
        heading: String,
        list: Route,
        action: String,
        fields: [StaffField],
        errors: ValidationErrors,
        status: HTTPResponse.Status,
        submitLabel: String? = nil,
        publicURL: String? = nil,
        translated: (subject: ContentTranslation.Subject, id: UUID?)? = nil,
        links: [StaffLayout.NavigationItem] = [],
        multipart: Bool = false,
        sideForms: [StaffFormPage.SideForm] = [],
        previewHTML: String? = nil,
        panels: [StaffFormPage.Panel] = [],
        _ context: StaffContext<Area>
    ) async throws -> Response {
        let strings = self.strings(context.language)
        let layout = try await staffLayout(title: heading, path: context.link(list), staff: context.staff, language: context.language)
        var allLinks = links
        if let publicURL { allLinks.append(.init(label: strings["staff.view_public"], url: publicURL, isCurrent: false)) }
        if let translated { allLinks += try await translationLinks(translated.subject, id: translated.id, staffLanguage: context.language) }
        let model = StaffFormPage(
            layout: layout,
            heading: heading,
            action: action,
            multipart: multipart,
            fields: fields,
            errors: errors,
            strings: strings,
            submitLabel: submitLabel ?? strings["staff.save"],
            links: allLinks,
            sideForms: sideForms,
            previewHTML: previewHTML,
            panels: panels
        )
        return views.page(.staffForm, model, status: status)
    }
}
