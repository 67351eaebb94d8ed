import Foundation

/// Areas to colour by a dataset's values (New York City's 32 community school districts, say),
/// read from a GeoJSON `FeatureCollection` of `Polygon` and `MultiPolygon` features. Each area is
/// named by one of its properties, the one that matches the dataset's label column.
public struct AreaMap: Sendable, Equatable {
    /// Longitude and latitude, in degrees.
    public struct Point: Sendable, Equatable {
        public var longitude: Double
        public var latitude: Double
    }

    public struct Area: Sendable, Equatable {
        /// The value of the joining property, as text ("7", "Mott Haven").
        public var key: String
        /// Each polygon is its rings, the first the outline and the rest its holes.
        public var polygons: [[[Point]]]
    }

    /// Why a map was refused; areas are counted from 1, in the file's order.
    public enum Failure: Error, Sendable, Equatable {
        case tooLarge
        case notJSON
        case notFeatureCollection
        case noAreas
        case tooManyPoints
        /// A feature whose geometry is missing or not a polygon or multipolygon.
        case geometry(area: Int)
        /// Coordinates that are not longitude and latitude in range.
        case coordinates(area: Int)
        /// A ring with fewer than four positions.
        case ring(area: Int)
        /// A feature without the joining property (or with one that is neither text nor a number).
        case key(area: Int)
    }

    public static let maximumBytes = 5 * 1024 * 1024
    public static let maximumPoints = 1_000_000

    public var areas: [Area]

    public init(areas: [Area]) {
        self.areas = areas
    }

    public static func parse(_ bytes: [UInt8], keyProperty: String) throws(Failure) -> AreaMap {
        guard bytes.count <= maximumBytes else { throw .tooLarge }
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes)) else { throw .notJSON }
        guard let root = json as? [String: Any], root["type"] as? String == "FeatureCollection", let features = root["features"] as? [Any]
        else { throw .notFeatureCollection }
        guard !features.isEmpty else { throw .noAreas }
        var areas: [Area] = []
        var points = 0
        for (index, item) in features.enumerated() {
            let number = index + 1
            guard let feature = item as? [String: Any], let geometry = feature["geometry"] as? [String: Any],
                let type = geometry["type"] as? String, let coordinates = geometry["coordinates"] as? [Any]
            else { throw .geometry(area: number) }
            let polygons: [Any]
            switch type {
            case "Polygon": polygons = [coordinates]
            case "MultiPolygon": polygons = coordinates
            default: throw .geometry(area: number)
            }
            // A MultiPolygon of no polygons is no area at all (the fuzzer found one).
            guard !polygons.isEmpty else { throw .coordinates(area: number) }
            var read: [[[Point]]] = []
            for polygon in polygons {
                guard let rings = polygon as? [Any], !rings.isEmpty else { throw .coordinates(area: number) }
                var readRings: [[Point]] = []
                for ring in rings {
                    guard let positions = ring as? [Any] else { throw .coordinates(area: number) }
                    guard positions.count >= 4 else { throw .ring(area: number) }
                    points += positions.count
                    guard points <= maximumPoints else { throw .tooManyPoints }
                    var readRing: [Point] = []
                    readRing.reserveCapacity(positions.count)
                    for position in positions {
                        guard let pair = position as? [Any], pair.count >= 2, let longitude = degrees(pair[0]), let latitude = degrees(pair[1]),
                            (-180...180).contains(longitude), (-90...90).contains(latitude)
                        else { throw .coordinates(area: number) }
                        readRing.append(Point(longitude: longitude, latitude: latitude))
                    }
                    readRings.append(readRing)
                }
                read.append(readRings)
            }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let key = properties[keyProperty].flatMap(text), !key.isEmpty else { throw .key(area: number) }
            areas.append(Area(key: key, polygons: read))
        }
        return AreaMap(areas: areas)
    }

    private static func degrees(_ value: Any) -> Double? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }

    /// A property's value as the text a label column holds: strings as they are, whole numbers without ".0".
    private static func text(_ value: Any) -> String? {
        if let string = value as? String { return CSVTable.trimmingSpaces(string) }
        if let number = value as? NSNumber {
            let double = number.doubleValue
            guard double.isFinite else { return nil }
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(double)
        }
        return nil
    }
}
