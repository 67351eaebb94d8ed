import CommonsCharts
import CommonsContent
import CommonsCore
import Foundation

/// The dataset form read as the domain takes it, and the domain's refusals said back.
extension StaffDatasetRoutes {
    /// What the form asks for, as the domain takes it.
    func draft(of form: MultipartForm, for dataset: Dataset?) -> DatasetDraft {
        let fields = form.fields
        var draft = DatasetDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            notes: fields["notes"] ?? "",
            sourceName: fields["source_name"] ?? "",
            sourceURL: fields["source_url"] ?? "",
            dataDate: fields["data_date"] ?? "",
            mapKey: fields["map_key"] ?? ""
        )
        if let file = form.files["file"], !file.bytes.isEmpty { draft.file = (file.fileName, Array(file.bytes)) }
        if let map = form.files["map"], !map.bytes.isEmpty { draft.map = (map.fileName, Array(map.bytes)) }
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

    /// Why a file was refused, with the lines to fix.
    static func message(_ problem: DatasetFileError.Problem, strings: StringCatalog, formatting: Formatting) -> String {
        let count = { (value: Int) in value.formatted(.number.locale(Locale(identifier: formatting.language.localeIdentifier))) }
        switch problem {
        case .missing: return strings["error.csv_missing"]
        case .mapMissing: return strings["error.map_missing"]
        case .mapKeyMissing: return strings["error.map_key_missing"]
        case .unreadableMap(.tooLarge): return strings["error.map_too_large"]
        case .unreadableMap(.notJSON): return strings["error.map_not_json"]
        case .unreadableMap(.notFeatureCollection): return strings["error.map_not_collection"]
        case .unreadableMap(.noAreas): return strings["error.map_no_areas"]
        case .unreadableMap(.tooManyPoints): return strings["error.map_too_many_points"]
        case .unreadableMap(.geometry(let area)): return strings.format("error.map_geometry", ["area": count(area)])
        case .unreadableMap(.coordinates(let area)): return strings.format("error.map_coordinates", ["area": count(area)])
        case .unreadableMap(.ring(let area)): return strings.format("error.map_ring", ["area": count(area)])
        case .unreadableMap(.key(let area)): return strings.format("error.map_key", ["area": count(area)])
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
