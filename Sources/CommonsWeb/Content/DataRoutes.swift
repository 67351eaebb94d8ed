import CommonsCharts
import CommonsContent
import CommonsCore
import Foundation
import Hummingbird

/// The coalition's figures: `/data`, each dataset's page with its chart and table, the file as
/// uploaded (`/data/SLUG.csv`) and the chart alone (`/data/SLUG.svg`, for reporters).
struct DataRoutes {
    let site: Site

    func register(on router: Router<AppRequestContext>) {
        router.get(SitePath.datasets) { _, context in try await datasets(context) }
        router.get(SitePath.dataset) { _, context in
            let slug = try context.parameters.require("slug")
            if slug.hasSuffix(".csv") { return try await file(slug: String(slug.dropLast(4))) }
            if slug.hasSuffix(".svg") { return try await chart(slug: String(slug.dropLast(4)), context) }
            return try await dataset(slug: slug, context)
        }
    }

    func datasets(_ context: AppRequestContext) async throws -> Response {
        let strings = site.strings(context.language)
        let formatting = site.formatting(context.language)
        var items: [DatasetList.Item] = []
        for dataset in try await site.data.all() {
            let words = try await site.words(of: dataset, in: context.language)
            items.append(DatasetList.Item(dataset, words: words, language: context.language, formatting: formatting))
        }
        let layout = try await site.layout(PageMeta(title: strings["data.title"], path: SitePath.datasets()), context: context)
        return site.views.page(.datasetList, DatasetList(layout: layout, datasets: items)).sharedCacheable()
    }

    func dataset(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let dataset = try await site.data.dataset(slug: slug) else { throw SiteError.notFound }
        let words = try await site.words(of: dataset, in: context.language)
        let layout = try await site.layout(PageMeta(title: words.title, description: words.bodyText, path: SitePath.dataset(slug)), context: context)
        let model = DatasetShow(
            dataset,
            words: words,
            chartSVG: site.chartSVG(of: dataset, words: words, language: context.language, id: "chart-\(slug)"),
            layout: layout,
            formatting: site.formatting(context.language)
        )
        return site.views.page(.datasetShow, model).sharedCacheable()
    }

    func file(slug: String) async throws -> Response {
        guard let dataset = try await site.data.dataset(slug: slug) else { throw SiteError.notFound }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(dataset.fileName)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: dataset.csv))).sharedCacheable()
    }

    func chart(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let dataset = try await site.data.dataset(slug: slug) else { throw SiteError.notFound }
        let words = try await site.words(of: dataset, in: context.language)
        guard let svg = site.chartSVG(of: dataset, words: words, language: context.language, id: "chart-\(slug)") else {
            throw SiteError.notFound
        }
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml; charset=utf-8"
        headers[.contentDisposition] = "inline; filename=\"\(slug).svg\""
        return Response(
            status: .ok,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg))
        )
        .sharedCacheable()
    }
}

/// `/data`: every dataset, by title.
struct DatasetList {
    struct Item {
        let title: String
        let url: String
        let contentLang: String?
        let details: String?

        init(_ dataset: Dataset, words: TranslatedText, language: Language, formatting: Formatting) {
            title = words.title
            url = SitePath.localized(SitePath.dataset(dataset.slug), in: language)
            contentLang = words.contentLang
            let parts = [
                dataset.sourceName.isEmpty ? nil : formatting.strings.format("data.source_named", ["source": dataset.sourceName]),
                formatting.day(dataset.dataDate)?.text,
            ].compactMap { $0 }
            details = parts.isEmpty ? nil : parts.joined(separator: " · ")
        }
    }

    let layout: Layout
    let datasets: [Item]
    let hasDatasets: Bool

    init(layout: Layout, datasets: [Item]) {
        self.layout = layout
        self.datasets = datasets
        hasDatasets = !datasets.isEmpty
    }
}

/// `/data/SLUG`: the chart, the table it is drawn from, where the figures come from, the files.
struct DatasetShow {
    struct Cell {
        let text: String
        let isNumber: Bool
    }

    struct Row {
        let label: String
        let cells: [Cell]
    }

    let layout: Layout
    let title: String
    let contentLang: String?
    let untranslatedNote: String?
    let notes: String?
    let chartSVG: String?
    let caption: String
    let labelHeading: String
    let headings: [String]
    let rows: [Row]
    let sourceName: String?
    let sourceURL: String?
    let dateISO: String?
    let dateText: String?
    let csvURL: String
    let svgURL: String?
    /// A map's areas that have no row in the table, said under the map.
    let areasWithoutData: String?

    init(_ dataset: Dataset, words: TranslatedText, chartSVG: String?, layout: Layout, formatting: Formatting) {
        self.layout = layout
        title = words.title
        contentLang = words.contentLang
        untranslatedNote = words.untranslatedNote
        notes = words.bodyText.isEmpty ? nil : words.bodyText
        self.chartSVG = chartSVG
        caption = formatting.strings.format("data.table_caption", ["title": words.title])
        // The table: the label column first (each row's header), then every other column.
        let table = (try? dataset.table()) ?? CSVTable(header: [], rows: [])
        var columns = dataset.columns.count == table.header.count ? dataset.columns : table.header.map { Column(name: $0, kind: .text) }
        for (index, label) in Site.columnLabels(of: dataset, words: words).enumerated() where index < columns.count { columns[index].name = label }
        let label = dataset.chart.map(\.labelColumn).flatMap { columns.indices.contains($0) ? $0 : nil } ?? 0
        let others = columns.indices.filter { $0 != label }
        let decimalComma = table.delimiter == UInt8(ascii: ";")
        labelHeading = columns.indices.contains(label) ? columns[label].name : ""
        headings = others.map { columns[$0].name }
        rows = table.rows.map { cells in
            Row(
                label: CSVTable.trimmingSpaces(cells[label]),
                cells: others.map { index in
                    let kind = columns[index].kind
                    if kind != .text, let value = CellValue.number(cells[index], kind: kind, decimalComma: decimalComma) {
                        return Cell(text: formatting.figure(value, kind), isNumber: true)
                    }
                    let text = CSVTable.trimmingSpaces(cells[index])
                    return Cell(text: text.isEmpty && kind != .text ? formatting.strings["data.no_value"] : text, isNumber: kind != .text)
                }
            )
        }
        sourceName = dataset.sourceName.isEmpty ? nil : dataset.sourceName
        sourceURL = dataset.sourceURL.isEmpty ? nil : dataset.sourceURL
        let day = formatting.day(dataset.dataDate)
        dateISO = day?.iso
        dateText = day?.text
        let language = formatting.language
        csvURL = SitePath.datasetFile(dataset.slug)
        let labels = Set(rows.map(\.label))
        let missing = dataset.chart?.kind == .map ? (dataset.areaMap()?.areas.map(\.key).filter { !labels.contains($0) } ?? []) : []
        areasWithoutData = missing.isEmpty ? nil : formatting.strings.format("data.areas_without_data", ["areas": missing.joined(separator: ", ")])
        svgURL = chartSVG == nil ? nil : SitePath.localized(SitePath.datasetChart(dataset.slug), in: language)
    }
}
