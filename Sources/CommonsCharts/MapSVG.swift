import CommonsCore
import Foundation

/// A choropleth map drawn as SVG on the server: each area of an `AreaMap` coloured by its class
/// of value, with its name and value in a `<title>`, a legend of the classes under it, and areas
/// without a value hatched (and named in the description). A projection is fitted to the areas'
/// bounds: longitude scaled by the cosine of the middle latitude, which is true to shape at a
/// city's or a state's size. Like `ChartSVG`: `role="img"`, a title, a description in words, no
/// script, nothing from elsewhere.
public struct MapSVG: Sendable {
    /// Light to dark blues, told apart by lightness (and so in greyscale); every area is also
    /// outlined in ink, 3:1 or more against white and against each fill.
    static let classColours = ["#deebf7", "#9ecae1", "#4a90c2", "#2166ac", "#053061"]
    static let width = 360.0
    static let margin = 8.0
    static let maximumHeight = 420.0

    public let map: AreaMap
    /// Each area's value by its key; an area missing here has no data.
    public let values: [String: Double]
    public let kind: ColumnKind
    public let words: ChartSVG.Words
    public let rightToLeft: Bool
    public let id: String

    public init(map: AreaMap, values: [String: Double], kind: ColumnKind, words: ChartSVG.Words, rightToLeft: Bool, id: String) {
        self.map = map
        self.values = values
        self.kind = kind
        self.words = words
        self.rightToLeft = rightToLeft
        self.id = ChartSVG.safeID(id)
    }

    /// The keys of areas drawn without a value.
    public var areasWithoutData: [String] { map.areas.map(\.key).filter { values[$0] == nil } }

    /// Up to five classes of equal width from the lowest value to the highest, as (from, to).
    public var classes: [(from: Double, to: Double)] {
        let present = map.areas.compactMap { values[$0.key] }
        guard let low = present.min(), let high = present.max() else { return [] }
        let distinct = Set(present).count
        let count = min(Self.classColours.count, distinct)
        guard count > 1 else { return [(low, high)] }
        let step = (high - low) / Double(count)
        return (0..<count).map { index in (low + step * Double(index), index == count - 1 ? high : low + step * Double(index + 1)) }
    }

    func classIndex(_ value: Double, _ classes: [(from: Double, to: Double)]) -> Int {
        classes.firstIndex { value <= $0.to } ?? classes.count - 1
    }

    /// A class's colour: fewer classes than colours take them spread from lightest to darkest.
    func colour(ofClass index: Int, of count: Int) -> String {
        let last = Self.classColours.count - 1
        guard count > 1 else { return Self.classColours[last / 2] }
        return Self.classColours[min(last, Int((Double(index) * Double(last) / Double(count - 1)).rounded()))]
    }

    public func render() -> String {
        let points = map.areas.flatMap { $0.polygons.flatMap { $0.flatMap { $0 } } }
        let longitudes = points.map(\.longitude)
        let latitudes = points.map(\.latitude)
        let west = longitudes.min() ?? 0
        let east = longitudes.max() ?? 1
        let south = latitudes.min() ?? 0
        let north = latitudes.max() ?? 1
        let squeeze = max(0.01, cos((south + north) / 2 * .pi / 180))
        let spanX = max((east - west) * squeeze, 1e-9)
        let spanY = max(north - south, 1e-9)
        let drawable = Self.width - 2 * Self.margin
        let scale = min(drawable / spanX, (Self.maximumHeight - 2 * Self.margin) / spanY)
        let mapHeight = spanY * scale
        let offsetX = Self.margin + (drawable - spanX * scale) / 2
        func x(_ point: AreaMap.Point) -> Double { offsetX + (point.longitude - west) * squeeze * scale }
        func y(_ point: AreaMap.Point) -> Double { Self.margin + (north - point.latitude) * scale }

        let classes = self.classes
        var body = ""
        for area in map.areas {
            var path = ""
            for polygon in area.polygons {
                for ring in polygon {
                    // Points that fall on the same tenth of a unit add nothing to the drawing.
                    var last = ""
                    var first = true
                    for point in ring {
                        let here = "\(n(x(point))) \(n(y(point)))"
                        if here == last { continue }
                        path += (first ? "M" : "L") + here
                        last = here
                        first = false
                    }
                    path += "Z"
                }
            }
            let value = values[area.key]
            let fill = value.map { colour(ofClass: classIndex($0, classes), of: classes.count) } ?? "url(#\(id)-none)"
            let said = value.map { words.format($0, kind) } ?? words.noValue
            body +=
                "<g class=\"mark\"><path d=\"\(path)\" fill=\"\(fill)\" fill-rule=\"evenodd\" stroke=\"\(ChartSVG.ink)\" stroke-width=\"0.75\"><title>\(XMLText.escape(area.key)): \(XMLText.escape(said))</title></path></g>"
        }

        // The legend: one line per class, and one for areas without data.
        var y = Self.margin + mapHeight + 16
        var legend = "<g class=\"legend\">"
        let swatchX = rightToLeft ? Self.width - Self.margin - 24 : Self.margin
        let textX = rightToLeft ? Self.width - Self.margin - 30 : Self.margin + 30
        var lines: [(fill: String, text: String)] = classes.enumerated().map { index, range in
            let text = range.from == range.to ? words.format(range.from, kind) : "\(words.format(range.from, kind)) – \(words.format(range.to, kind))"
            return (colour(ofClass: index, of: classes.count), text)
        }
        if !areasWithoutData.isEmpty { lines.append(("url(#\(id)-none)", words.noValue)) }
        for line in lines {
            legend +=
                "<rect x=\"\(n(swatchX))\" y=\"\(n(y))\" width=\"24\" height=\"14\" fill=\"\(line.fill)\" stroke=\"\(ChartSVG.ink)\" stroke-width=\"0.75\"/>"
            legend += "<text x=\"\(n(textX))\" y=\"\(n(y + 12))\" font-size=\"13\" fill=\"\(ChartSVG.ink)\">\(XMLText.escape(line.text))</text>"
            y += 20
        }
        legend += "</g>"
        let height = y + Self.margin
        let hatch =
            "<defs><pattern id=\"\(id)-none\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><rect width=\"1.5\" height=\"6\" fill=\"#595959\"/></pattern></defs>"
        let direction = rightToLeft ? " direction=\"rtl\"" : ""
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart map\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" width=\"\(n(Self.width))\" height=\"\(n(height))\" font-family=\"system-ui, sans-serif\"\(direction)>"
            + "<title id=\"\(id)-title\">\(XMLText.escape(words.title))</title><desc id=\"\(id)-desc\">\(XMLText.escape(words.description))</desc>"
            + hatch + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>" + body + legend + "</svg>"
    }
}
