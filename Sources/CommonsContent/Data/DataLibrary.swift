import CommonsCharts
import CommonsCore
import FluentKit
import Foundation

/// What an editor sends for a dataset: its words, its file, and how it is drawn.
public struct DatasetDraft: Sendable {
    public var title: String
    public var slug: String?
    public var notes: String
    public var sourceName: String
    public var sourceURL: String
    /// "YYYY-MM-DD", or empty.
    public var dataDate: String
    /// A new file (required for a new dataset); nil keeps the one there.
    public var file: (name: String, bytes: [UInt8])?
    /// A new map of areas (GeoJSON); nil keeps the one there.
    public var map: (name: String, bytes: [UInt8])?
    /// The property of each area that matches the label column.
    public var mapKey: String
    /// Corrections of the detected kinds, one per column; nil keeps what is there (or detects).
    public var columnKinds: [ColumnKind]?
    /// How to draw it; nil keeps what is there (or picks: bars of the first column of numbers).
    public var chart: ChartSpec?

    public init(
        title: String,
        slug: String? = nil,
        notes: String = "",
        sourceName: String = "",
        sourceURL: String = "",
        dataDate: String = "",
        file: (name: String, bytes: [UInt8])? = nil,
        map: (name: String, bytes: [UInt8])? = nil,
        mapKey: String = "",
        columnKinds: [ColumnKind]? = nil,
        chart: ChartSpec? = nil
    ) {
        self.title = title
        self.slug = slug
        self.notes = notes
        self.sourceName = sourceName
        self.sourceURL = sourceURL
        self.dataDate = dataDate
        self.file = file
        self.map = map
        self.mapKey = mapKey
        self.columnKinds = columnKinds
        self.chart = chart
    }
}

/// Why a dataset's file cannot be kept, with what the other fields got wrong beside it.
public struct DatasetFileError: Error, Sendable {
    public enum Problem: Sendable, Equatable {
        /// A new dataset without a file.
        case missing
        /// The file cannot be read as a table.
        case unreadable(CSVTable.Failure)
        /// Cells that are not what their column is said to hold (at most 20 listed), and how many in all.
        case cells([CellProblem], total: Int)
        /// No column holds numbers, so there is nothing to draw.
        case nothingToDraw
        /// The map file cannot be read as areas.
        case unreadableMap(AreaMap.Failure)
        /// A map chart without a map, or a map without the property that joins it.
        case mapMissing
        case mapKeyMissing
    }

    /// The form field the problem belongs to.
    public var field: String {
        switch problem {
        case .unreadableMap, .mapMissing, .mapKeyMissing: "map"
        default: "file"
        }
    }

    public struct CellProblem: Sendable, Equatable {
        public let line: Int
        public let column: String
        public let value: String
        public let kind: ColumnKind
    }

    public let problem: Problem
    /// The other fields' problems, found at the same time.
    public let errors: ValidationErrors
}

/// The coalition's datasets: stored whole in the database, checked clean before anything is kept.
public struct DataLibrary: Sendable {
    public static let notesLimit = 5_000
    /// A chart draws at most this many value columns.
    public static let seriesLimit = 6

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Every dataset, by title.
    public func all() async throws -> [Dataset] {
        try await Dataset.query(on: database).sort(\.$title).all()
    }

    public func dataset(slug: String) async throws -> Dataset? {
        try await Dataset.query(on: database).filter(\.$slug == slug).first()
    }

    public func dataset(id: UUID) async throws -> Dataset? {
        try await Dataset.find(id, on: database)
    }

    /// Checks everything and stores a new dataset; throws `ValidationErrors` or `DatasetFileError`.
    @discardableResult
    public func add(_ draft: DatasetDraft) async throws -> Dataset {
        let dataset = Dataset()
        try await check(draft, into: dataset)
        try await dataset.create(on: database)
        return dataset
    }

    /// Checks everything and saves the changes; a new file replaces the old one.
    @discardableResult
    public func update(_ id: UUID, with draft: DatasetDraft) async throws -> Dataset {
        guard let dataset = try await Dataset.find(id, on: database) else { throw ContentError.notFound }
        try await check(draft, into: dataset)
        try await dataset.save(on: database)
        return dataset
    }

    public func delete(_ id: UUID) async throws {
        guard let dataset = try await Dataset.find(id, on: database) else { throw ContentError.notFound }
        try await dataset.delete(on: database)
    }

    /// Fills `dataset` from `draft` when every field and every cell is right; throws otherwise,
    /// leaving nothing stored.
    func check(_ draft: DatasetDraft, into dataset: Dataset) async throws {
        var errors = ValidationErrors()
        let id = dataset.id
        let (title, slug) = try await TitleAndSlug.check(title: draft.title, slug: draft.slug ?? dataset.$slug.value, errors: &errors) { slug in
            let query = Dataset.query(on: database).filter(\.$slug == slug)
            if let id { query.filter(\.$id != id) }
            return try await query.first() != nil
        }
        let notes = draft.notes.trimmingCharacters(in: .whitespacesAndNewlines)
        if notes.count > Self.notesLimit { errors.add(field: "notes", message: "error.dataset_notes_too_long") }
        let sourceName = draft.sourceName.trimmingCharacters(in: .whitespacesAndNewlines)
        if sourceName.count > TitleAndSlug.titleLimit { errors.add(field: "source_name", message: "error.title_too_long") }
        let sourceURL = draft.sourceURL.trimmingCharacters(in: .whitespacesAndNewlines)
        if !sourceURL.isEmpty, !WebAddress.isLink(sourceURL) { errors.add(field: "source_url", message: "error.dataset_source_url") }
        let dataDate = draft.dataDate.trimmingCharacters(in: .whitespaces)
        if !dataDate.isEmpty, !Self.isDay(dataDate) { errors.add(field: "data_date", message: "error.dataset_date") }

        // The file: a new one, or the one already there.
        let text: String
        let fileName: String
        let table: CSVTable
        if let file = draft.file, !file.bytes.isEmpty {
            do {
                table = try CSVTable.parse(file.bytes)
            } catch {
                throw DatasetFileError(problem: .unreadable(error), errors: errors)
            }
            // Kept as uploaded, a byte order mark too: spreadsheets read the file back as UTF-8 by it.
            text = String(decoding: file.bytes, as: UTF8.self)
            fileName = Self.safeFileName(file.name, slug: slug)
        } else if dataset.id != nil, let stored = try? dataset.table() {
            table = stored
            text = dataset.csv
            fileName = dataset.fileName
        } else {
            throw DatasetFileError(problem: .missing, errors: errors)
        }

        // Columns: detected, then as the editor corrected them (when they still fit the file).
        let decimalComma = table.delimiter == UInt8(ascii: ";")
        let previous = dataset.id == nil ? [] : dataset.columns
        var columns = table.header.indices.map { index in
            Column(name: table.header[index], kind: CellValue.detect(table.rows.map { $0[index] }, decimalComma: decimalComma))
        }
        let kinds = draft.columnKinds ?? (previous.map(\.name) == table.header ? previous.map(\.kind) : nil)
        if let kinds, kinds.count == columns.count {
            for index in columns.indices { columns[index].kind = kinds[index] }
        }
        var cellProblems: [DatasetFileError.CellProblem] = []
        var total = 0
        for (index, column) in columns.enumerated() where column.kind != .text {
            for (row, cells) in table.rows.enumerated() {
                let cell = CSVTable.trimmingSpaces(cells[index])
                guard !cell.isEmpty, CellValue.number(cell, kind: column.kind, decimalComma: decimalComma) == nil else { continue }
                total += 1
                if cellProblems.count < CSVTable.maximumProblemsListed {
                    cellProblems.append(.init(line: table.lines[row], column: column.name, value: String(cell.prefix(40)), kind: column.kind))
                }
            }
        }
        if total > 0 { throw DatasetFileError(problem: .cells(cellProblems.sorted { $0.line < $1.line }, total: total), errors: errors) }
        guard let firstNumbers = columns.firstIndex(where: { $0.kind != .text }) else {
            throw DatasetFileError(problem: .nothingToDraw, errors: errors)
        }

        // The chart: as asked when it fits the columns, else bars of the first column of numbers.
        let label = columns.firstIndex(where: { $0.kind == .text }) ?? 0
        let fallback = ChartSpec(kind: .bar, labelColumn: label, valueColumns: [firstNumbers], order: .file)
        var chart = draft.chart ?? (dataset.id == nil ? fallback : dataset.chart ?? fallback)
        let fits =
            (0..<columns.count).contains(chart.labelColumn) && !chart.valueColumns.isEmpty
            && chart.valueColumns.allSatisfy { (0..<columns.count).contains($0) && columns[$0].kind != .text }
        if draft.chart != nil {
            if !(0..<columns.count).contains(chart.labelColumn) { errors.add(field: "label_column", message: "error.dataset_label_column") }
            if chart.valueColumns.isEmpty || !fits { errors.add(field: "value_columns", message: "error.dataset_value_columns") }
            if chart.valueColumns.count > Self.seriesLimit { errors.add(field: "value_columns", message: "error.dataset_too_many_values") }
        } else if !fits {
            chart = fallback
        }
        if chart.kind == .bar || chart.kind == .map { chart.valueColumns = Array(chart.valueColumns.prefix(1)) }

        // The map: a new file, or the one there; the property that joins it to the label column.
        let mapKey = draft.mapKey.trimmingCharacters(in: .whitespacesAndNewlines)
        var mapText = dataset.id == nil ? "" : dataset.mapGeoJSON
        if let map = draft.map, !map.bytes.isEmpty {
            guard !mapKey.isEmpty else { throw DatasetFileError(problem: .mapKeyMissing, errors: errors) }
            do {
                _ = try AreaMap.parse(map.bytes, keyProperty: mapKey)
            } catch {
                throw DatasetFileError(problem: .unreadableMap(error), errors: errors)
            }
            mapText = String(decoding: map.bytes, as: UTF8.self)
        } else if !mapText.isEmpty, mapKey != dataset.mapKey {
            guard !mapKey.isEmpty else { throw DatasetFileError(problem: .mapKeyMissing, errors: errors) }
            do {
                _ = try AreaMap.parse(Array(mapText.utf8), keyProperty: mapKey)
            } catch {
                throw DatasetFileError(problem: .unreadableMap(error), errors: errors)
            }
        }
        if chart.kind == .map, mapText.isEmpty { throw DatasetFileError(problem: .mapMissing, errors: errors) }
        try errors.throwIfAny()

        dataset.title = title
        dataset.slug = slug
        dataset.notes = notes
        dataset.sourceName = sourceName
        dataset.sourceURL = sourceURL
        dataset.dataDate = dataDate
        dataset.fileName = fileName
        dataset.csv = text
        dataset.columns = columns
        dataset.chart = chart
        dataset.mapGeoJSON = mapText
        dataset.mapKey = mapText.isEmpty ? "" : mapKey
    }

    /// "YYYY-MM-DD", a real day between the years 1800 and 2200.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1800...2200).contains(year), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// The name the file is served under: its own when plain, else the slug's.
    static func safeFileName(_ name: String, slug: String) -> String {
        let base = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        let plain = base.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
        return (plain && !base.isEmpty && base.count <= 80 ? base : slug) + ".csv"
    }
}
