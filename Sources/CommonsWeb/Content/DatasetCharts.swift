import CommonsCharts
import CommonsContent
import CommonsCore
import Foundation

extension Site {
    /// A dataset's title and notes in the reader's language (its translation, or the original).
    func words(of dataset: Dataset, in language: Language) async throws -> TranslatedText {
        try await translated(
            .dataset,
            id: dataset.id,
            title: dataset.title,
            summary: "",
            bodyHTML: HTMLText.escape(dataset.notes),
            bodyText: dataset.notes,
            language: language
        )
    }

    /// Its columns' names in the reader's language: a translation's summary holds them one per
    /// line, in the file's order; a line left empty (or missing) keeps the original's name.
    static func columnLabels(of dataset: Dataset, words: TranslatedText) -> [String] {
        let translated = words.summary.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return dataset.columns.enumerated().map { index, column in
            index < translated.count && !translated[index].isEmpty ? translated[index] : column.name
        }
    }

    /// The dataset's chart as SVG, its words in `language`; nil when its file or chart cannot be read.
    /// `id` must be unique on the page the drawing goes in.
    func chartSVG(of dataset: Dataset, words: TranslatedText, language: Language, id: String) -> String? {
        guard let spec = dataset.chart, let table = try? dataset.table(),
            var data = ChartData(table: table, columns: dataset.columns, spec: spec)
        else { return nil }
        let title = words.title
        let labels = Self.columnLabels(of: dataset, words: words)
        for (index, column) in spec.valueColumns.enumerated() where index < data.series.count && column < labels.count {
            data.series[index].name = labels[column]
        }
        let formatting = self.formatting(language)
        let strings = formatting.strings
        var description = strings.format("data.chart_kind_\(spec.kind.rawValue)", ["title": title])
        if let extremes = data.extremes() {
            let kind = data.series[0].kind
            description +=
                " "
                + strings.format(
                    "data.chart_extremes",
                    [
                        "column": data.series[0].name,
                        "highest": extremes.highest.label, "highest_value": formatting.figure(extremes.highest.value, kind),
                        "lowest": extremes.lowest.label, "lowest_value": formatting.figure(extremes.lowest.value, kind),
                    ]
                )
        }
        guard spec.kind == .map else {
            let words = ChartSVG.Words(title: title, description: description, noValue: strings["data.no_value"]) { value, kind in
                formatting.figure(value, kind)
            }
            return ChartSVG(data: data, kind: spec.kind, words: words, rightToLeft: language.isRightToLeft, id: id).render()
        }
        guard let map = dataset.areaMap() else { return nil }
        var values: [String: Double] = [:]
        for (label, value) in zip(data.labels, data.series[0].values) { values[label] = value }
        let missing = map.areas.map(\.key).filter { values[$0] == nil }
        if !missing.isEmpty {
            description += " " + strings.format("data.areas_without_data", ["areas": missing.joined(separator: ", ")])
        }
        let words = ChartSVG.Words(title: title, description: description, noValue: strings["data.no_value"]) { value, kind in
            formatting.figure(value, kind)
        }
        return MapSVG(map: map, values: values, kind: data.series[0].kind, words: words, rightToLeft: language.isRightToLeft, id: id).render()
    }

    /// Plain text (a page's description) without the `[[chart:SLUG]]` markers its body holds.
    static func withoutChartMarkers(_ text: String) -> String {
        guard text.contains("[[chart:") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "[[chart:"), let close = rest[open.upperBound...].range(of: "]]") {
            result += rest[..<open.lowerBound]
            rest = rest[close.upperBound...]
        }
        return (result + rest).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The body of a post or page with each paragraph that is only `[[chart:SLUG]]` replaced by
    /// that dataset's chart, its caption and a link to its page; a paragraph naming no dataset is dropped.
    func embeddingCharts(in html: String, language: Language) async throws -> String {
        guard html.contains("<p>[[chart:") else { return html }
        var result = ""
        var rest = Substring(html)
        var drawn = 0
        while let open = rest.range(of: "<p>[[chart:") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "]]</p>"), after.distance(from: after.startIndex, to: close.lowerBound) <= Slug.maximumLength,
                case let slug = String(after[..<close.lowerBound]), Slug(slug) != nil
            else {
                result += rest[open]
                rest = after
                continue
            }
            rest = after[close.upperBound...]
            guard let dataset = try await data.dataset(slug: slug) else { continue }
            let words = try await words(of: dataset, in: language)
            drawn += 1
            guard let svg = chartSVG(of: dataset, words: words, language: language, id: "chart-\(drawn)-\(slug)") else { continue }
            let link = SitePath.localized(SitePath.dataset(slug), in: language)
            let lang = words.contentLang.map { " lang=\"\($0)\" dir=\"ltr\"" } ?? ""
            let source =
                dataset.sourceName.isEmpty
                ? "" : " · \(HTMLText.escape(strings(language).format("data.source_named", ["source": dataset.sourceName])))"
            result +=
                "<figure class=\"chart-figure\"><div class=\"chart-frame\">\(svg)</div><figcaption><a href=\"\(HTMLText.escape(link))\"\(lang)>\(HTMLText.escape(words.title))</a>\(source)</figcaption></figure>"
        }
        return result + rest
    }
}
