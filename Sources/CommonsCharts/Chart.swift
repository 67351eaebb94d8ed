/// How a dataset is drawn.
public enum ChartKind: String, Sendable, Codable, CaseIterable {
    /// One bar per row, of one value column.
    case bar
    /// One group of bars per row, a bar for each chosen value column.
    case groupedBar = "grouped-bar"
    /// A line per value column across the rows, in the order they are sorted.
    case line
    /// The dataset's map of areas, each coloured by its row's first value (joined by the label column).
    case map
}

/// The order rows are drawn in: as in the file, or by the first value column.
public enum ChartOrder: String, Sendable, Codable, CaseIterable {
    case file
    case ascending
    case descending
}

/// What an editor chose to draw: which column labels the rows, which hold the values, how they
/// are drawn and in what order. Columns are counted from 0, as in the file.
public struct ChartSpec: Sendable, Codable, Equatable {
    public var kind: ChartKind
    public var labelColumn: Int
    public var valueColumns: [Int]
    public var order: ChartOrder

    public init(kind: ChartKind, labelColumn: Int, valueColumns: [Int], order: ChartOrder) {
        self.kind = kind
        self.labelColumn = labelColumn
        self.valueColumns = valueColumns
        self.order = order
    }
}

/// The rows and values a chart draws, read from a table with its columns' kinds.
public struct ChartData: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var kind: ColumnKind
        /// One per label; nil where the cell is empty.
        public var values: [Double?]
    }

    public var labels: [String]
    public var series: [Series]

    public init(labels: [String], series: [Series]) {
        self.labels = labels
        self.series = series
    }

    /// Nil when the spec names a column the table does not have, or a value column that is text.
    public init?(table: CSVTable, columns: [Column], spec: ChartSpec) {
        let count = columns.count
        guard columns.count == table.header.count, (0..<count).contains(spec.labelColumn), !spec.valueColumns.isEmpty,
            spec.valueColumns.allSatisfy({ (0..<count).contains($0) && columns[$0].kind != .text })
        else { return nil }
        let decimalComma = table.delimiter == UInt8(ascii: ";")
        var order = Array(table.rows.indices)
        let first = spec.valueColumns[0]
        let key: (Int) -> Double? = { row in CellValue.number(table.rows[row][first], kind: columns[first].kind, decimalComma: decimalComma) }
        if spec.order != .file {
            // Stable, with rows that have no value last whichever way.
            order = order.enumerated().sorted { left, right in
                switch (key(left.element), key(right.element)) {
                case (let a?, let b?) where a != b: return spec.order == .ascending ? a < b : a > b
                case (.some, nil): return true
                case (nil, .some): return false
                default: return left.offset < right.offset
                }
            }.map(\.element)
        }
        labels = order.map { CSVTable.trimmingSpaces(table.rows[$0][spec.labelColumn]) }
        series = spec.valueColumns.map { column in
            Series(
                name: columns[column].name,
                kind: columns[column].kind,
                values: order.map { CellValue.number(table.rows[$0][column], kind: columns[column].kind, decimalComma: decimalComma) }
            )
        }
    }

    /// The rows with the highest and the lowest value of a series, for saying a chart in words.
    public func extremes(of series: Int = 0) -> (highest: (label: String, value: Double), lowest: (label: String, value: Double))? {
        let values = self.series[series].values.enumerated().compactMap { index, value in value.map { (labels[index], $0) } }
        guard let highest = values.max(by: { $0.1 < $1.1 }), let lowest = values.min(by: { $0.1 < $1.1 }) else { return nil }
        return ((highest.0, highest.1), (lowest.0, lowest.1))
    }
}
