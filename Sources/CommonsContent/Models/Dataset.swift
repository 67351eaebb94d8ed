import CommonsCharts
import FluentKit
import Foundation

/// Figures the coalition publishes (graduation rates by district, say): the CSV file as it was
/// uploaded, what each column holds, where the figures come from, and how they are drawn.
public final class Dataset: Model, @unchecked Sendable {
    public static let schema = "datasets"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "notes") public var notes: String
    @Field(key: "source_name") public var sourceName: String
    @Field(key: "source_url") public var sourceURL: String
    /// The day the figures describe ("2024-06-30"), empty when not given.
    @Field(key: "data_date") public var dataDate: String
    @Field(key: "file_name") public var fileName: String
    /// The file as uploaded (UTF-8), served again as `/data/SLUG.csv`.
    @Field(key: "csv") public var csv: String
    /// `[Column]` as JSON: each column's name and kind, in the file's order.
    @Field(key: "columns") public var columnsJSON: String
    /// `ChartSpec` as JSON.
    @Field(key: "chart") public var chartJSON: String
    /// A GeoJSON FeatureCollection of the areas a map colours, as uploaded; empty when none.
    @Field(key: "map_geojson") public var mapGeoJSON: String
    /// The property of each area whose value matches the label column.
    @Field(key: "map_key") public var mapKey: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    /// Its database properties, named so that FluentKit does not find them by reflection on
    /// every save and load (see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $title, $notes, $sourceName, $sourceURL, $dataDate, $fileName, $csv, $columnsJSON, $chartJSON, $mapGeoJSON, $mapKey,
            $createdAt, $updatedAt,
        ]
    }

    public init() {}

    public var columns: [Column] {
        get { (try? JSONDecoder().decode([Column].self, from: Data(columnsJSON.utf8))) ?? [] }
        set { columnsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }

    public var chart: ChartSpec? {
        get { try? JSONDecoder().decode(ChartSpec.self, from: Data(chartJSON.utf8)) }
        set { chartJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("null".utf8), as: UTF8.self) }
    }

    /// The map's areas; nil when there is no map (it was checked when stored).
    public func areaMap() -> AreaMap? {
        mapGeoJSON.isEmpty ? nil : try? AreaMap.parse(Array(mapGeoJSON.utf8), keyProperty: mapKey)
    }

    /// The table the file holds; it was checked clean when stored.
    public func table() throws -> CSVTable {
        try CSVTable.parse(Array(csv.utf8))
    }
}

public struct CreateDatasets: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Dataset.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("notes", .string, .required)
            .field("source_name", .string, .required)
            .field("source_url", .string, .required)
            .field("data_date", .string, .required)
            .field("file_name", .string, .required)
            .field("csv", .string, .required)
            .field("columns", .string, .required)
            .field("chart", .string, .required)
            .field("map_geojson", .string, .required)
            .field("map_key", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        // Data pages are cached like every public page: a change to a dataset empties the cache.
        try await TrackContentChanges.addTriggers(to: [Dataset.schema], on: database)
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(Dataset.schema).delete()
    }
}
