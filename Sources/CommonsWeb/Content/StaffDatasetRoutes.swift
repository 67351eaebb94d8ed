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
            "source_url": dataset.sourceURL, "data_date": dataset.dataDate, "map_key": dataset.mapKey,
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
                .file(accept: ".csv,text/csv"),
                label: strings[dataset == nil ? "staff.csv_file" : "staff.replace_csv"],
                hint: strings["staff.csv_hint"],
                values: values,
                errors: messages
            ),
        ]
        fields.append(
            StaffField(
                "map",
                .file(accept: ".geojson,.json,application/geo+json,application/json"),
                label: strings[dataset?.mapGeoJSON.isEmpty == false ? "staff.replace_map" : "staff.map_file"],
                hint: strings["staff.map_hint"],
                values: values,
                errors: messages
            )
        )
        fields.append(
            StaffField("map_key", .text, label: strings["staff.map_key"], hint: strings["staff.map_key_hint"], values: values, errors: messages)
        )
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
                fields.append(
                    StaffField(
                        "value_\(index)",
                        .checkbox,
                        label: strings.format("staff.draw_column", ["column": column.name]),
                        values: values,
                        errors: messages
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

    func save(_ dataset: Dataset?, _ context: Context) async throws -> Response {
        let form = context.form
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        let showAgain: (ValidationErrors) async throws -> Response = { found in
            // The domain names the value columns as one; the form has a box per column, and the
            // error goes with the first, so the summary's link lands on a real field.
            var errors = ValidationErrors()
            for field in found.fields { errors.add(field: field == "value_columns" ? "value_0" : field, message: found[field] ?? "") }
            return try await editor(dataset, values: form.fields, errors: errors, status: .unprocessableContent, context)
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
            errors.add(field: failure.field, message: Self.message(failure.problem, strings: strings, formatting: formatting))
            return try await showAgain(errors)
        }
    }
}
