import CommonsCore

/// A small line of counts (sign-ups a day), drawn on the server for the staff dashboard: no
/// axes, the last day marked with a dot, `currentColor` so it takes the text's colour in either
/// scheme. The numbers it shows are said in its `<title>`, and beside it on the page.
public enum Sparkline {
    public static let width = 112.0
    public static let height = 28.0

    /// - Parameter label: what it shows in words ("Sign-ups a day, last 14 days: 0, 2, 5, …").
    public static func svg(_ values: [Int], label: String) -> String {
        let top = Double(max(values.max() ?? 0, 1))
        let step = values.count > 1 ? (width - 6) / Double(values.count - 1) : 0
        let points = values.enumerated().map { index, value in
            (3 + Double(index) * step, height - 3 - (Double(value) / top) * (height - 6))
        }
        let line = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        var svg =
            "<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(XMLText.escape(label))\">"
            + "<title>\(XMLText.escape(label))</title>"
            + "<line x1=\"0\" y1=\"\(n(height - 3))\" x2=\"\(n(width))\" y2=\"\(n(height - 3))\" stroke=\"currentColor\" stroke-opacity=\"0.35\" stroke-width=\"1\"/>"
        if points.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(line)\"/>"
        }
        if let last = points.last {
            svg += "<circle cx=\"\(n(last.0))\" cy=\"\(n(last.1))\" r=\"3\" fill=\"currentColor\"/>"
        }
        return svg + "</svg>"
    }
}
