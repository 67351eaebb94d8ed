import CommonsCore

/// Draws a chart as SVG, on the server, for a page to include inline or a reader to download.
/// No script and no reference outside the drawing: the marks' fills are patterns defined in it.
/// Every mark is labelled with its value as text, and carries a `<title>` with its row and value;
/// the drawing as a whole has `role="img"`, a `<title>` and a `<desc>` that says it in words.
/// Bars run across, one row under another, each under its label: long labels stay whole and
/// the drawing reads at 360 px wide. Right-to-left languages mirror it.
public struct ChartSVG: Sendable {
    /// Words the drawing needs, in the reader's language.
    public struct Words: Sendable {
        public var title: String
        /// The chart said in words: what it shows, its highest and lowest values.
        public var description: String
        /// Shown where a row has no value.
        public var noValue: String
        /// A value as the reader writes numbers ("80 %", "12.500").
        public var format: @Sendable (Double, ColumnKind) -> String

        public init(title: String, description: String, noValue: String, format: @escaping @Sendable (Double, ColumnKind) -> String) {
            self.title = title
            self.description = description
            self.noValue = noValue
            self.format = format
        }
    }

    /// Colours for the series: each at least 4.5:1 against white, so a mark and its text stand
    /// out; patterns and labels, not colour alone, tell series apart.
    static let palette = ["#1d4f91", "#a4400f", "#2a6b2f", "#6b2a8f", "#4d4d4d", "#8a2846"]
    static let ink = "#1a1a1a"
    static let width = 360.0
    static let margin = 8.0
    static let labelHeight = 18.0
    static let barHeight = 18.0
    static let barGap = 4.0
    static let rowGap = 10.0
    /// Roughly how wide a character of the value labels is, to leave room after the longest bar.
    static let characterWidth = 7.2

    public let data: ChartData
    public let kind: ChartKind
    public let words: Words
    public let rightToLeft: Bool
    /// Unique on the page: ids of the title, description and patterns start with it.
    public let id: String

    public init(data: ChartData, kind: ChartKind, words: Words, rightToLeft: Bool, id: String) {
        self.data = data
        self.kind = kind
        self.words = words
        self.rightToLeft = rightToLeft
        self.id = Self.safeID(id)
    }

    /// An id of ASCII letters, digits and hyphens, whatever a slug held.
    static func safeID(_ id: String) -> String {
        String(id.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" })
    }

    public func render() -> String {
        kind == .line ? renderLine() : renderBars()
    }

    // MARK: Bars

    func renderBars() -> String {
        let series = kind == .bar ? Array(data.series.prefix(1)) : data.series
        let all = series.flatMap { $0.values.compactMap { $0 } }
        let low = min(0, all.min() ?? 0)
        var high = max(0, all.max() ?? 0)
        // Shares are drawn against the whole: 80% fills four fifths of the width.
        if series.allSatisfy({ $0.kind == .percent }), low == 0, high <= 100 { high = 100 }
        if high == low { high = low + 1 }
        let grouped = series.count > 1
        let texts = series.map { one in
            one.values.map { value in
                let number = value.map { words.format($0, one.kind) } ?? words.noValue
                return grouped ? "\(one.name): \(number)" : number
            }
        }
        let longest = texts.joined().map(\.count).max() ?? 4
        let valueRoom = min(Self.width / 2, Double(longest) * Self.characterWidth + 8)
        let plotWidth = Self.width - 2 * Self.margin - valueRoom
        let scale = plotWidth / (high - low)
        let zero = Self.margin + (0 - low) * scale

        var body = ""
        var y = Self.margin
        if grouped {
            body += legend(series.map(\.name), y: &y, lines: false)
        }
        let baselineTop = y
        for (row, label) in data.labels.enumerated() {
            body += text(label, x: Self.margin, y: y + 13, weight: "bold")
            y += Self.labelHeight
            for (index, one) in series.enumerated() {
                let value = one.values[row]
                let mark: String
                if let value {
                    let start = min(zero, Self.margin + (value - low) * scale)
                    let end = max(zero, Self.margin + (value - low) * scale)
                    let fill = index == 0 ? Self.palette[0] : "url(#\(id)-p\(index))"
                    let stroke = Self.palette[index % Self.palette.count]
                    let rectX = rightToLeft ? Self.width - end : start
                    mark =
                        "<rect x=\"\(n(rectX))\" y=\"\(n(y))\" width=\"\(n(max(end - start, 1)))\" height=\"\(n(Self.barHeight))\" fill=\"\(fill)\" stroke=\"\(stroke)\">"
                        + "<title>\(XMLText.escape(label)) – \(XMLText.escape(texts[index][row]))</title></rect>"
                        + text(texts[index][row], x: end + 4, y: y + 13)
                } else {
                    mark = text(texts[index][row], x: zero + 4, y: y + 13, style: "italic")
                }
                body += "<g class=\"mark\">\(mark)</g>"
                y += Self.barHeight + Self.barGap
            }
            y += Self.rowGap
        }
        let baselineX = rightToLeft ? Self.width - zero : zero
        body +=
            "<line x1=\"\(n(baselineX))\" y1=\"\(n(baselineTop + Self.labelHeight))\" x2=\"\(n(baselineX))\" y2=\"\(n(y - Self.rowGap))\" stroke=\"\(Self.ink)\"/>"
        return document(width: Self.width, height: y + Self.margin - Self.rowGap, patterns: series.count, body: body)
    }

    // MARK: Lines

    func renderLine() -> String {
        let count = data.labels.count
        let step = 56.0
        let left = Self.margin + 8
        let width = max(Self.width, left + step * Double(count) + Self.margin)
        var y = Self.margin
        var body = ""
        if data.series.count > 1 { body += legend(data.series.map(\.name), y: &y, lines: true) }
        let all = data.series.flatMap { $0.values.compactMap { $0 } }
        let low = min(0, all.min() ?? 0)
        var high = max(0, all.max() ?? 0)
        if high == low { high = low + 1 }
        let top = y + 16
        let plotHeight = 180.0
        let bottom = top + plotHeight
        func pointY(_ value: Double) -> Double { bottom - (value - low) / (high - low) * plotHeight }
        func pointX(_ index: Int) -> Double {
            let x = left + step * (Double(index) + 0.5)
            return rightToLeft ? width - x : x
        }
        // The axis at zero and the rows' labels under it, slanted so long ones do not collide.
        let axisStart = rightToLeft ? width - left : left
        let axisEnd = rightToLeft ? width - (left + step * Double(count)) : left + step * Double(count)
        body += "<line x1=\"\(n(axisStart))\" y1=\"\(n(pointY(0)))\" x2=\"\(n(axisEnd))\" y2=\"\(n(pointY(0)))\" stroke=\"\(Self.ink)\"/>"
        var longestLabel = 0
        for (index, label) in data.labels.enumerated() {
            let x = pointX(index)
            let angle = rightToLeft ? 40 : -40
            body +=
                "<text x=\"\(n(x))\" y=\"\(n(bottom + 16))\" text-anchor=\"end\" transform=\"rotate(\(angle) \(n(x)) \(n(bottom + 16)))\" fill=\"\(Self.ink)\" font-size=\"12\">\(XMLText.escape(label))</text>"
            longestLabel = max(longestLabel, label.count)
        }
        for (index, one) in data.series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = one.values.enumerated().compactMap { row, value in value.map { (pointX(row), pointY($0)) } }
            let dashes = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"8 3 2 3\""][index % 4]
            if points.count > 1 {
                body +=
                    "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashes) points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>"
            }
            for (row, value) in one.values.enumerated() {
                let x = pointX(row)
                guard let value else {
                    body += "<g class=\"mark\">\(text(words.noValue, x: x, y: pointY(0) - 6, anchor: "middle", size: 11, style: "italic"))</g>"
                    continue
                }
                let label = words.format(value, one.kind)
                let rank = data.series.indices.filter { other in
                    guard let theirs = data.series[other].values[row] else { return false }
                    return theirs > value || (theirs == value && other < index)
                }.count
                let named = data.series.count > 1 ? "\(one.name): \(label)" : label
                let y = pointY(value)
                body +=
                    "<g class=\"mark\">\(marker(index, x: x, y: y, colour: colour, title: "\(data.labels[row]) – \(named)"))"
                    // The highest value of a row is written above its point, the others below theirs,
                    // so two close lines do not write over each other.
                    + "\(text(label, x: x, y: rank == 0 ? y - 8 : y + 5 + 12 * Double(rank), anchor: "middle", size: 11))</g>"
            }
        }
        let height = bottom + 16 + Double(min(longestLabel, 30)) * 5 + Self.margin
        return document(width: width, height: height, patterns: 0, body: body)
    }

    /// A different shape for each series: circle, square, triangle, diamond.
    func marker(_ index: Int, x: Double, y: Double, colour: String, title: String) -> String {
        let titled = "<title>\(XMLText.escape(title))</title>"
        switch index % 4 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4.5\" fill=\"\(colour)\">\(titled)</circle>"
        case 1: return "<rect x=\"\(n(x - 4))\" y=\"\(n(y - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\">\(titled)</rect>"
        case 2: return "<path d=\"M\(n(x)) \(n(y - 5))L\(n(x + 5)) \(n(y + 4))L\(n(x - 5)) \(n(y + 4))Z\" fill=\"\(colour)\">\(titled)</path>"
        default:
            return "<path d=\"M\(n(x)) \(n(y - 5))L\(n(x + 5)) \(n(y))L\(n(x)) \(n(y + 5))L\(n(x - 5)) \(n(y))Z\" fill=\"\(colour)\">\(titled)</path>"
        }
    }

    // MARK: Parts

    /// One line per series: its swatch (the bar's pattern, or the line's dashes and marker) and name.
    func legend(_ names: [String], y: inout Double, lines: Bool) -> String {
        var legend = "<g class=\"legend\">"
        for (index, name) in names.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let swatchX = rightToLeft ? Self.width - Self.margin - 24 : Self.margin
            if lines {
                let dashes = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"8 3 2 3\""][index % 4]
                legend +=
                    "<line x1=\"\(n(swatchX))\" y1=\"\(n(y + 8))\" x2=\"\(n(swatchX + 24))\" y2=\"\(n(y + 8))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashes)/>"
                legend += marker(index, x: swatchX + 12, y: y + 8, colour: colour, title: name)
            } else {
                let fill = index == 0 ? colour : "url(#\(id)-p\(index))"
                legend += "<rect x=\"\(n(swatchX))\" y=\"\(n(y + 1))\" width=\"24\" height=\"14\" fill=\"\(fill)\" stroke=\"\(colour)\"/>"
            }
            legend += text(name, x: Self.margin + 30, y: y + 13)
            y += 20
        }
        y += 6
        return legend + "</g>"
    }

    /// Text at `x` from the start side: the left, or the right for a right-to-left language.
    func text(
        _ content: String,
        x: Double,
        y: Double,
        anchor: String = "start",
        size: Int = 13,
        weight: String? = nil,
        style: String? = nil
    )
        -> String
    {
        // Line charts place text at points already mirrored; bars give distances from the start.
        let placed = anchor == "middle" || !rightToLeft ? x : Self.width - x
        var attributes = "x=\"\(n(placed))\" y=\"\(n(y))\" font-size=\"\(size)\" fill=\"\(Self.ink)\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let style { attributes += " font-style=\"\(style)\"" }
        return "<text \(attributes)>\(XMLText.escape(content))</text>"
    }

    func document(width: Double, height: Double, patterns: Int, body: String) -> String {
        var definitions = ""
        if patterns > 1 {
            definitions = "<defs>"
            for index in 1..<patterns {
                let colour = Self.palette[index % Self.palette.count]
                let pattern: String
                switch index % 4 {
                case 1: pattern = "<rect width=\"3\" height=\"6\" fill=\"\(colour)\"/>"  // stripes, turned below
                case 2: pattern = "<circle cx=\"3\" cy=\"3\" r=\"1.8\" fill=\"\(colour)\"/>"
                case 3: pattern = "<path d=\"M0 0L6 6M6 0L0 6\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
                default: pattern = "<rect width=\"6\" height=\"2.5\" fill=\"\(colour)\"/>"
                }
                let turn = index % 4 == 1 ? " patternTransform=\"rotate(45)\"" : ""
                definitions +=
                    "<pattern id=\"\(id)-p\(index)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"\(turn)><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>\(pattern)</pattern>"
            }
            definitions += "</defs>"
        }
        let direction = rightToLeft ? " direction=\"rtl\"" : ""
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"system-ui, sans-serif\"\(direction)>"
            + "<title id=\"\(id)-title\">\(XMLText.escape(words.title))</title><desc id=\"\(id)-desc\">\(XMLText.escape(words.description))</desc>"
            + definitions + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>" + body + "</svg>"
    }
}

/// A coordinate with at most one decimal, the same on every machine.
func n(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    guard tenths.isFinite, abs(tenths) < 1e12 else { return "0" }
    let whole = Int(tenths)
    let sign = whole < 0 ? "-" : ""
    let magnitude = abs(whole)
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
}
