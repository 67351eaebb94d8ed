import CommonsCharts
import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// Datasets in the staff area: upload a CSV, describe it, correct its columns, choose its chart.
struct StaffDatasetRoutes {
    typealias Context = StaffContext<ContentArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.datasets) { _, context in try await list(context) }
        group.get(StaffPath.newDataset) { _, context in try await editor(nil, values: [:], context) }
        group.post(StaffPath.datasets) { _, context in try await save(nil, context) }
        group.get(StaffPath.dataset) { _, context in
            let dataset = try await dataset(context)
            return try await editor(dataset, values: Self.values(of: dataset), context)
        }
        group.post(StaffPath.dataset) { _, context in try await save(try await dataset(context), context) }
        group.post(StaffPath.deleteDataset) { _, context in
            try await site.data.delete(try await dataset(context).requireID())
            return Response.redirect(to: context.link(StaffPath.datasets), type: .normal)
        }
    }

    func dataset(_ context: Context) async throws -> Dataset {
        guard let dataset = try await site.data.dataset(id: context.parameters.uuid("id")) else { throw SiteError.notFound }
        return dataset
    }

    func list(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await site.data.all().map { dataset in
            StaffListPage.Row(
                title: dataset.title,
                url: context.link(StaffPath.dataset, dataset.id!),
                cells: [SitePath.dataset(dataset.slug), strings["data.chart_name_\(dataset.chart?.kind.rawValue ?? "bar")"]]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_datasets"],
            path: context.link(StaffPath.datasets),
            newURL: context.link(StaffPath.newDataset),
            newLabel: strings["staff.new_dataset"],
            columns: [strings["staff.post_title"], strings["staff.slug"], strings["staff.chart_kind"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    /// A stored dataset as its form shows it.
    static func values(of dataset: Dataset) -> [String: String] {
        var values = [
            "title": dataset.title, "slug": dataset.slug, "notes": dataset.notes, "source_name": dataset.sourceName,
            "source_url": dataset.sourceURL, "data_date": dataset.dataDate,
        ]
        for (index, column) in dataset.columns.enumerated() { values["kind_\(index)"] = column.kind.rawValue }
        if let chart = dataset.chart {
            values["chart_kind"] = chart.kind.rawValue
            values["label_column"] = String(chart.labelColumn)
            values["order"] = chart.order.rawValue
            for index in chart.valueColumns { values["value_\(index)"] = "yes" }
        }
        return values
    }

    func editor(
        _ dataset: Dataset?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = dataset.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_dataset"]
        var fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField(
                "notes",
                .textarea(rows: 4),
                label: strings["staff.dataset_notes"],
                hint: strings["staff.dataset_notes_hint"],
                values: values,
                errors: messages
            ),
            StaffField("source_name", .text, label: strings["data.source"], values: values, errors: messages),
            StaffField("source_url", .url, label: strings["staff.source_url"], values: values, errors: messages),
            StaffField("data_date", .date, label: strings["data.date"], values: values, errors: messages),
            StaffField(
                "file",
                .file,
                label: strings[dataset == nil ? "staff.csv_file" : "staff.replace_csv"],
                hint: strings["staff.csv_hint"],
                values: values,
                errors: messages
            ),
        ]
        // Once there is a file: its columns, and the chart drawn from them.
        if let dataset {
            let columns = dataset.columns
            let names = columns.enumerated().map { ActionForm.Option(value: String($0.offset), label: $0.element.name, selected: false) }
            fields.append(
                StaffField(
                    "chart_kind",
                    .select(ChartKind.allCases.map { .init(value: $0.rawValue, label: strings["data.chart_name_\($0.rawValue)"], selected: false) }),
                    label: strings["staff.chart_kind"],
                    values: values,
                    errors: messages
                )
            )
            fields.append(StaffField("label_column", .select(names), label: strings["staff.label_column"], values: values, errors: messages))
            let orders = ChartOrder.allCases.map {
                ActionForm.Option(value: $0.rawValue, label: strings["staff.order_\($0.rawValue)"], selected: false)
            }
            fields.append(StaffField("order", .select(orders), label: strings["staff.order"], values: values, errors: messages))
            let kinds = ColumnKind.allCases.map {
                ActionForm.Option(value: $0.rawValue, label: strings["staff.column_\($0.rawValue)"], selected: false)
            }
            var valueErrors = messages
            for (index, column) in columns.enumerated() {
                fields.append(
                    StaffField(
                        "kind_\(index)",
                        .select(kinds),
                        label: strings.format("staff.column_holds", ["column": column.name]),
                        values: values,
                        errors: messages
                    )
                )
                // The value columns' error goes with the first of their boxes.
                valueErrors["value_\(index)"] = index == 0 ? messages["value_columns"] : nil
                fields.append(
                    StaffField(
                        "value_\(index)",
                        .checkbox,
                        label: strings.format("staff.draw_column", ["column": column.name]),
                        values: values,
                        errors: valueErrors
                    )
                )
            }
        }
        let sideForms =
            dataset.map {
                [StaffFormPage.SideForm(action: context.link(StaffPath.deleteDataset, $0.id!), label: strings["staff.delete_dataset"], danger: true)]
            }
            ?? []
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.datasets,
            action: dataset.map { context.link(StaffPath.dataset, $0.id!) } ?? context.link(StaffPath.datasets),
            fields: fields,
            errors: errors,
            status: status,
            submitLabel: strings[dataset == nil ? "staff.upload" : "staff.save"],
            publicURL: dataset.map { SitePath.localized(SitePath.dataset($0.slug), in: context.language) },
            translated: (.dataset, dataset?.id),
            multipart: true,
            sideForms: sideForms,
            context
        )
    }

    /// What the form asks for, as the domain takes it.
    func draft(of form: MultipartForm, for dataset: Dataset?) -> DatasetDraft {
        let fields = form.fields
        var draft = DatasetDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            notes: fields["notes"] ?? "",
            sourceName: fields["source_name"] ?? "",
            sourceURL: fields["source_url"] ?? "",
            dataDate: fields["data_date"] ?? ""
        )
        if let file = form.files["file"], !file.bytes.isEmpty { draft.file = (file.fileName, Array(file.bytes)) }
        guard let dataset, draft.file == nil else { return draft }
        // The columns and chart as corrected, for the file that is there.
        let count = dataset.columns.count
        let kinds = (0..<count).compactMap { fields["kind_\($0)"].flatMap(ColumnKind.init(rawValue:)) }
        if kinds.count == count { draft.columnKinds = kinds }
        if let kind = fields["chart_kind"].flatMap(ChartKind.init(rawValue:)) {
            draft.chart = ChartSpec(
                kind: kind,
                labelColumn: fields["label_column"].flatMap { Int($0) } ?? -1,
                valueColumns: (0..<count).filter { fields["value_\($0)"] == "yes" },
                order: fields["order"].flatMap(ChartOrder.init(rawValue:)) ?? .file
            )
        }
        return draft
    }

    func save(_ dataset: Dataset?, _ context: Context) async throws -> Response {
        let form = context.form
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let showAgain: (ValidationErrors) async throws -> Response = { errors in
            try await editor(dataset, values: form.fields, errors: errors, status: .unprocessableContent, context)
        }
        do {
            return try await saveOrShowAgain {
                let draft = draft(of: form, for: dataset)
                let saved =
                    if let dataset { try await site.data.update(try dataset.requireID(), with: draft) } else { try await site.data.add(draft) }
                return context.link(StaffPath.dataset, try saved.requireID())
            } showAgain: { errors in
                try await showAgain(errors)
            }
        } catch let failure as DatasetFileError {
            // Said in the staff member's language, line by line; `messages` passes it through as it is.
            var errors = failure.errors
            errors.add(field: "file", message: Self.message(failure.problem, strings: strings, formatting: formatting))
            return try await showAgain(errors)
        }
    }

    /// Why a file was refused, with the lines to fix.
    static func message(_ problem: DatasetFileError.Problem, strings: StringCatalog, formatting: Formatting) -> String {
        let count = { (value: Int) in value.formatted(.number.locale(Locale(identifier: formatting.language.localeIdentifier))) }
        switch problem {
        case .missing: return strings["error.csv_missing"]
        case .nothingToDraw: return strings["error.csv_nothing_to_draw"]
        case .unreadable(.empty): return strings["error.csv_empty"]
        case .unreadable(.tooLarge): return strings["error.csv_too_large"]
        case .unreadable(.notUTF8): return strings["error.csv_not_utf8"]
        case .unreadable(.tooManyColumns(let columns)): return strings.format("error.csv_too_many_columns", ["count": count(columns)])
        case .unreadable(.tooManyRows): return strings["error.csv_too_many_rows"]
        case .unreadable(.badRows(let rows, let total)):
            let lines = rows.map { row -> String in
                let line = count(row.line)
                switch row.kind {
                case .unclosedQuote: return strings.format("error.csv_unclosed_quote", ["line": line])
                case .textAfterQuote: return strings.format("error.csv_text_after_quote", ["line": line])
                case .fieldCount(let found, let expected):
                    return strings.format("error.csv_field_count", ["line": line, "found": count(found), "expected": count(expected)])
                case .unnamedColumn(let column): return strings.format("error.csv_unnamed_column", ["line": line, "column": count(column)])
                }
            }
            return ([strings.format("error.csv_bad_rows", ["count": count(total)])] + lines).joined(separator: " ")
        case .cells(let cells, let total):
            let lines = cells.map { cell in
                strings.format(
                    cell.kind == .percent ? "error.csv_not_percent" : "error.csv_not_number",
                    ["line": count(cell.line), "value": cell.value, "column": cell.column]
                )
            }
            return ([strings.format("error.csv_bad_cells", ["count": count(total)])] + lines).joined(separator: " ")
        }
    }
}
