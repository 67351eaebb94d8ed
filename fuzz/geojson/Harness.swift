import Foundation

/// `AreaMap` (a dataset's map, from an editor's GeoJSON): any bytes read as areas or refused
/// with a reason, never a crash; read areas have rings of four or more points in range, and
/// draw as one closed SVG whatever values they are given, with one titled path per area.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let map = try? AreaMap.parse(bytes, keyProperty: "k") else { return 0 }
    precondition(!map.areas.isEmpty)
    for area in map.areas {
        precondition(!area.key.isEmpty && !area.polygons.isEmpty)
        for ring in area.polygons.flatMap({ $0 }) {
            precondition(ring.count >= 4)
            for point in ring { precondition((-180...180).contains(point.longitude) && (-90...90).contains(point.latitude)) }
        }
    }
    // Values for every other area, from the size of the input: classes, ties and gaps.
    var values: [String: Double] = [:]
    for (index, area) in map.areas.enumerated() where index % 2 == 0 { values[area.key] = Double((size * (index + 1)) % 97) }
    let words = ChartSVG.Words(title: "t", description: "d", noValue: "-") { value, _ in String(value) }
    let svg = MapSVG(map: map, values: values, kind: .number, words: words, rightToLeft: size % 2 == 0, id: "f").render()
    precondition(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
    precondition(svg.components(separatedBy: "<g class=\"mark\"><path ").count == map.areas.count + 1)
    precondition(!svg.contains("<script") && !svg.contains("href=\""))
    return 0
}
