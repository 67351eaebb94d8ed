import CommonsCharts
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CommonsWeb

@Suite("Data pages")
struct DataTests {
    // MARK: Reading CSV

    func parse(_ text: String) throws(CSVTable.Failure) -> CSVTable { try CSVTable.parse(Array(text.utf8)) }

    @Test func test_csv_reads_quotes_embedded_newlines_and_commas_a_bom_and_semicolons() throws {
        let table = try parse("\u{FEFF}District,\"Rate, 2024\"\r\n\"Mott Haven\nSouth Bronx\",\"8\"\r\n\"Say \"\"hi\"\"\",80\r\n\r\n")
        #expect(table.header == ["District", "Rate, 2024"])
        #expect(table.rows == [["Mott Haven\nSouth Bronx", "8"], ["Say \"hi\"", "80"]])
        // The second row starts on line 4: the first row's value spans lines 2 and 3.
        #expect(table.lines == [2, 4])
        let semicolons = try parse("Quartier;Taux\nTribeca;80,5\nMott Haven;8\n")
        #expect(semicolons.delimiter == UInt8(ascii: ";"))
        #expect(semicolons.rows == [["Tribeca", "80,5"], ["Mott Haven", "8"]])
        #expect(CellValue.number("80,5", kind: .number, decimalComma: true) == 80.5)
        // A last line without its line end, and a lone carriage return between records.
        #expect(try parse("a,b\r1,2").rows == [["1", "2"]])
    }

    @Test func test_csv_refuses_bad_rows_by_line_number_and_bad_files_whole() {
        let bad = "Name,Value\nTribeca,80\n\"Mott Haven,8\nx,1,2\nok,3\n"
        #expect(throws: CSVTable.Failure.badRows([.init(line: 3, kind: .unclosedQuote)], total: 1)) { try parse(bad) }
        let several = "Name,Value\nTribeca,80,1\n\"Mott\" Haven,8\n,\nok,3\nlast\n"
        #expect(
            throws: CSVTable.Failure.badRows(
                [
                    .init(line: 2, kind: .fieldCount(found: 3, expected: 2)), .init(line: 3, kind: .textAfterQuote),
                    .init(line: 6, kind: .fieldCount(found: 1, expected: 2)),
                ],
                total: 3
            )
        ) { try parse(several) }
        #expect(throws: CSVTable.Failure.badRows([.init(line: 1, kind: .unnamedColumn(2))], total: 1)) { try parse("Name,,Value\n") }
        #expect(throws: CSVTable.Failure.empty) { try parse("\n\n") }
        #expect(throws: CSVTable.Failure.notUTF8) { try CSVTable.parse([0x41, 0x2C, 0xFF, 0x0A]) }
        #expect(throws: CSVTable.Failure.tooLarge) { try CSVTable.parse([UInt8](repeating: 0x41, count: CSVTable.maximumBytes + 1)) }
        #expect(throws: CSVTable.Failure.tooManyColumns(101)) { try parse(Array(repeating: "c", count: 101).joined(separator: ",")) }
    }

    @Test func test_columns_are_detected_as_text_numbers_or_percents() {
        #expect(CellValue.detect(["80%", " 8 %", ""], decimalComma: false) == .percent)
        #expect(CellValue.detect(["12,500", "-3.25", "+7"], decimalComma: false) == .number)
        #expect(CellValue.detect(["12,500", "n/a"], decimalComma: false) == .text)
        #expect(CellValue.detect(["", " "], decimalComma: false) == .text)
        #expect(CellValue.number("12,500.5", kind: .number, decimalComma: false) == 12500.5)
        #expect(CellValue.number("1.234,5", kind: .number, decimalComma: true) == 1234.5)
        for notANumber in ["1,5", "1e5", "0x10", "inf", "nan", "--1", "1.", ".", "1,50,000", String(repeating: "9", count: 40), "9999999999999999"] {
            #expect(CellValue.number(notANumber, kind: .number, decimalComma: false) == nil, "\(notANumber)")
        }
    }

    // MARK: Drawing

    static let districts = """
        District,Graduation 2019,Graduation 2024
        Tribeca,80%,82%
        Mott Haven,8%,
        Flushing,45%,51%
        """

    func svg(_ kind: ChartKind, values: [Int] = [1, 2], rightToLeft: Bool = false) throws -> (String, XMLElementNode) {
        let table = try parse(Self.districts)
        let columns = [
            Column(name: "District", kind: .text), Column(name: "Graduation 2019", kind: .percent), Column(name: "Graduation 2024", kind: .percent),
        ]
        let data = try #require(
            ChartData(table: table, columns: columns, spec: ChartSpec(kind: kind, labelColumn: 0, valueColumns: values, order: .descending))
        )
        let words = ChartSVG.Words(title: "Graduation <rates>", description: "Highest Tribeca", noValue: "no data") { value, _ in "\(Int(value))%" }
        let text = ChartSVG(data: data, kind: kind, words: words, rightToLeft: rightToLeft, id: "chart-test").render()
        return (text, try #require(XMLElementNode.parse(Data(text.utf8)), "not well-formed XML: \(text)"))
    }

    /// Every element of a tree, depth first.
    func elements(_ node: XMLElementNode) -> [XMLElementNode] { [node] + node.children.flatMap(elements) }

    /// The drawing names nothing outside itself and runs nothing.
    func expectSelfContained(_ text: String, _ root: XMLElementNode) {
        for element in elements(root) {
            #expect(!["script", "foreignObject", "image", "use", "a"].contains(element.name), "\(element.name)")
            for (name, value) in element.attributes {
                #expect(!name.hasPrefix("on") && !name.hasSuffix("href"), "\(name)")
                if value.contains("url(") { #expect(value.hasPrefix("url(#chart-test-"), "\(value)") }
            }
        }
        #expect(root.attributes["role"] == "img")
        #expect(text.components(separatedBy: "http").count == 2)  // the SVG namespace only
    }

    @Test func test_each_chart_kind_is_valid_svg_with_one_labelled_mark_per_value() throws {
        for kind in ChartKind.allCases {
            let (text, root) = try svg(kind)
            expectSelfContained(text, root)
            #expect(root.child("title")?.text == "Graduation <rates>")
            #expect(root.child("desc")?.text == "Highest Tribeca")
            let marks = elements(root).filter { $0.name == "g" && $0.attributes["class"] == "mark" }
            let drawn = marks.filter { mark in mark.children.contains { ["rect", "circle", "path"].contains($0.name) } }
            let series = kind == .bar ? 1 : 2
            // Three districts; Mott Haven has no 2024 value: it is said in words, not drawn.
            #expect(marks.count == 3 * series, "\(kind)")
            #expect(drawn.count == 3 * series - (series - 1), "\(kind)")
            for mark in drawn {
                let shape = try #require(mark.children.first { ["rect", "circle", "path"].contains($0.name) })
                #expect(shape.child("title")?.text.contains("–") == true)
                #expect(mark.child("text")?.text.hasSuffix("%") == true)
            }
            // Values as text, largest first.
            let texts = elements(root).filter { $0.name == "text" }.map(\.text)
            #expect(
                texts.contains { $0.hasSuffix("80%") } && texts.contains { $0.hasSuffix("8%") }
                    && texts.contains { $0.hasSuffix("no data") } == (series == 2)
            )
            if kind != .line {
                #expect(texts.firstIndex(of: "Tribeca")! < texts.firstIndex(of: "Flushing")!)
                #expect(texts.firstIndex(of: "Flushing")! < texts.firstIndex(of: "Mott Haven")!)
            }
            // More than one series: told apart by patterns or shapes and a legend, not colour alone.
            if series == 2 {
                #expect(elements(root).contains { $0.attributes["class"] == "legend" })
                if kind == .groupedBar { #expect(elements(root).contains { $0.name == "pattern" }) }
            }
        }
    }

    @Test func test_right_to_left_charts_are_mirrored() throws {
        let (_, left) = try svg(.bar, values: [1])
        let (_, right) = try svg(.bar, values: [1], rightToLeft: true)
        #expect(right.attributes["direction"] == "rtl")
        let leftLabel = try #require(elements(left).first { $0.name == "text" && $0.text == "Tribeca" })
        let rightLabel = try #require(elements(right).first { $0.name == "text" && $0.text == "Tribeca" })
        #expect(Double(leftLabel.attributes["x"]!)! < 20 && Double(rightLabel.attributes["x"]!)! > 340)
    }

    @Test func test_text_from_the_file_is_escaped_in_the_drawing() throws {
        let table = try parse("Name,Value\n\"<script>alert(1)</script>\",5\n\"a\u{1}b & c\",6\n")
        let columns = [Column(name: "Name", kind: .text), Column(name: "\"><x", kind: .number)]
        let data = try #require(
            ChartData(table: table, columns: columns, spec: ChartSpec(kind: .line, labelColumn: 0, valueColumns: [1], order: .file))
        )
        let words = ChartSVG.Words(title: "t", description: "d", noValue: "-") { value, _ in String(value) }
        let text = ChartSVG(data: data, kind: .line, words: words, rightToLeft: false, id: "chart-test").render()
        let root = try #require(XMLElementNode.parse(Data(text.utf8)))
        expectSelfContained(text, root)
        #expect(!text.contains("<script"))
    }

    // MARK: Through the site

    static let csv = "District;Students;Graduating\nTribeca;12.500;80%\nMott Haven;9.800;8%\n"

    /// A real file is larger than a form: the upload screens take bodies up to the upload limit.
    @Test func test_a_dataset_file_larger_than_a_form_uploads() async throws {
        let site = try await TestSite.make(demo: false)
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let rows = (1...4000).map { "School number \($0) in the district,\($0 % 100)%" }
        let csv = "School,Graduating\n" + rows.joined(separator: "\n") + "\n"
        #expect(csv.utf8.count > 150_000)
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let saved = try await StaffEditorTests().upload(
                client,
                editor,
                "/es/admin/datasets",
                fields: [("title", "Every school"), ("slug", "every-school")],
                file: ("schools.csv", Data(csv.utf8))
            )
            #expect(saved.status == .seeOther)
            #expect(try await client.get("/data/every-school.csv").text == csv)
        }
    }

    @Test func test_an_editor_uploads_a_dataset_and_readers_see_its_chart_table_and_files_in_every_language() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let forms = StaffEditorTests()
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            #expect(try await editor.get(client, "/admin/datasets/new").status == .ok)
            let fields = [
                ("title", "Students by district"), ("slug", "students"), ("source_name", "NYC DOE"), ("source_url", "https://example.org/doe"),
                ("data_date", "2024-06-30"),
            ]

            // A file with bad rows: refused whole, each bad line named, nothing stored.
            let bad = try await forms.upload(
                client,
                editor,
                "/admin/datasets",
                fields: fields,
                file: ("d.csv", Data("District;Students\nTribeca;1\nMott Haven;2;3\n\"x\n".utf8))
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Line 3: 3 values where the first row names 2.") && bad.text.contains("Line 4: a quoted value never ends."))
            #expect(try await client.get("/data/students").status == .notFound)
            // A bad date and address are named beside the file's own problem.
            let wrong = try await forms.upload(
                client,
                editor,
                "/admin/datasets",
                fields: [("title", "Students by district"), ("source_url", "javascript:alert(1)"), ("data_date", "2024-02-30")],
                file: nil
            )
            #expect(wrong.status == .unprocessableContent)
            #expect(
                wrong.text.contains("Choose a CSV file.") && wrong.text.contains("Enter a real date as YYYY-MM-DD.")
                    && wrong.text.contains("https://")
            )

            let saved = try await forms.upload(client, editor, "/admin/datasets", fields: fields, file: ("students.csv", Data(Self.csv.utf8)))
            #expect(saved.status == .seeOther)
            let editURL = try #require(saved.headers[.location])
            let form = try await editor.get(client, editURL).text
            // Detected: the district names, numbers (a semicolon file groups thousands with "."), percents.
            #expect(form.contains("<option value=\"number\" selected>") && form.contains("<option value=\"percent\" selected>"))

            let page = try await client.get("/data/students")
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("role=\"img\"") && !page.text.contains("<script"))
            #expect(page.text.contains("<caption id=\"dataset-caption\">Students by district: the figures</caption>"))
            #expect(page.text.contains("<th scope=\"row\">Tribeca</th><td class=\"number\">12,500</td><td class=\"number\">80%</td>"))
            #expect(page.text.contains("href=\"https://example.org/doe\"") && page.text.contains("June 30, 2024"))
            let list = try await client.get("/data").text
            #expect(list.contains("href=\"/data/students\""), "\(list)")
            // The file as uploaded, and the chart alone.
            let file = try await client.get("/data/students.csv")
            #expect(file.headers[.contentType] == "text/csv; charset=utf-8" && file.text == Self.csv)
            let chart = try await client.get("/data/students.svg")
            #expect(chart.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(XMLElementNode.parse(Data(chart.text.utf8))?.name == "svg")

            let spanish = try await client.get("/es/data/students").text
            #expect(spanish.contains("lang=\"es\"") && spanish.contains("Students by district⁩: las cifras") == false)
            #expect(spanish.contains("Students by district: las cifras") && spanish.contains("Descargar los datos (CSV)"))
            // French writes its numbers its way; Arabic reads right to left, the chart too.
            let french = try await client.get("/fr/data/students").text
            #expect(french.contains("12\u{202F}500") && french.contains("80\u{A0}%") && french.contains("lang=\"fr\""))
            let arabic = try await client.get("/ar/data/students").text
            #expect(arabic.contains("dir=\"rtl\"") && arabic.contains("direction=\"rtl\""))

            // Translated: the title, the notes and the column names (one per line; an empty one keeps the original).
            let translation = try await editor.post(
                client,
                editURL + "/translations/es",
                [("title", "Estudiantes por distrito"), ("summary", "Distrito\nEstudiantes\n"), ("body", "Cifras del DOE.")]
            )
            #expect(translation.status == .seeOther)
            let translated = try await client.get("/es/data/students").text
            #expect(translated.contains("<h1>Estudiantes por distrito</h1>") && translated.contains("Cifras del DOE."))
            #expect(translated.contains("<th scope=\"col\">Distrito</th><th scope=\"col\">Estudiantes</th><th scope=\"col\">Graduating</th>"))
            #expect(try await client.get("/es/data/students.svg").text.contains("Estudiantes: el más alto"))

            // The editor corrects a column and draws both value columns as a line, largest first.
            var changes = fields + [("kind_0", "text"), ("kind_1", "number"), ("kind_2", "percent"), ("chart_kind", "line"), ("label_column", "0")]
            changes += [("value_1", "yes"), ("value_2", "yes"), ("order", "descending")]
            #expect(try await forms.upload(client, editor, editURL, fields: changes, file: nil).status == .seeOther)
            #expect(try await client.get("/data/students.svg").text.contains("<polyline"))
            // Calling a column of names numbers is refused, naming the lines.
            let mislabelled = try await forms.upload(
                client,
                editor,
                editURL,
                fields: fields + [("kind_0", "number"), ("kind_1", "number"), ("kind_2", "percent")],
                file: nil
            )
            #expect(mislabelled.status == .unprocessableContent)
            #expect(mislabelled.text.contains("Line 2: “Tribeca” in “District” is not a number."))
            // A chart of no columns: the error sits with the first column's box, where the summary links.
            let nothing = try await forms.upload(client, editor, editURL, fields: fields + [("chart_kind", "bar"), ("label_column", "0")], file: nil)
            #expect(nothing.status == .unprocessableContent)
            #expect(nothing.text.contains("href=\"#staff-value-0\"") && nothing.text.contains("Choose at least one column of numbers to draw."))

            // In a post: a paragraph that is only the marker shows the chart, its caption and link.
            let post = try await editor.post(
                client,
                "/admin/posts",
                [
                    ("title", "The gap"), ("slug", "the-gap"), ("body", "Look:\n\n[[chart:students]]\n\n[[chart:nothing-here]]"),
                    ("status", "published"),
                ]
            )
            #expect(post.status == .seeOther)
            let shown = try await client.get("/news/the-gap").text
            #expect(shown.contains("<figure class=\"chart-figure\">") && shown.contains("<a href=\"/data/students\">Students by district</a>"))
            #expect(!shown.contains("[[chart:"), "the marker is not shown, nor put in the page's description")

            // Deleted: gone from the list and its page.
            let delete = try #require(form.range(of: #"/admin/datasets/[0-9a-fA-F-]+/delete"#, options: .regularExpression))
            #expect(try await editor.post(client, String(form[delete])).status == .seeOther)
            #expect(try await client.get("/data/students").status == .notFound)
        }
    }

    @Test func test_the_demo_platform_page_shows_the_college_ready_chart() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await site.run { client async throws in
            let platform = try await client.get("/platform").text
            #expect(platform.contains("<figure class=\"chart-figure\">") && platform.contains("Tribeca") && platform.contains("80%"))
            let data = try await client.get("/data/college-ready-by-neighborhood").text
            #expect(data.contains("<th scope=\"row\">Mott Haven</th><td class=\"number\">8%</td>"))
        }
    }
}

@Suite("Data maps")
struct DataMapTests {
    /// Three districts: the first a square with a hole, the second two squares, the third without figures.
    static let districts = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"district": 1, "name": "One"}, "geometry": {"type": "Polygon", "coordinates": [
            [[-74.0, 40.7], [-73.9, 40.7], [-73.9, 40.8], [-74.0, 40.8], [-74.0, 40.7]],
            [[-73.97, 40.73], [-73.93, 40.73], [-73.93, 40.77], [-73.97, 40.77], [-73.97, 40.73]]]}},
          {"type": "Feature", "properties": {"district": "2"}, "geometry": {"type": "MultiPolygon", "coordinates": [
            [[[-73.9, 40.7], [-73.8, 40.7], [-73.8, 40.8], [-73.9, 40.8], [-73.9, 40.7]]],
            [[[-73.8, 40.8], [-73.75, 40.8], [-73.75, 40.85], [-73.8, 40.85], [-73.8, 40.8]]]]}},
          {"type": "Feature", "properties": {"district": 3}, "geometry": {"type": "Polygon", "coordinates": [
            [[-74.0, 40.6], [-73.8, 40.6], [-73.8, 40.7], [-74.0, 40.7], [-74.0, 40.6]]]}}
        ]}
        """

    func parse(_ text: String, key: String = "district") throws(AreaMap.Failure) -> AreaMap { try AreaMap.parse(Array(text.utf8), keyProperty: key) }

    @Test func test_geojson_areas_are_read_with_holes_and_multipolygons_and_bad_ones_refused_with_the_reason() throws {
        let map = try parse(Self.districts)
        #expect(map.areas.map(\.key) == ["1", "2", "3"])
        #expect(map.areas[0].polygons.count == 1 && map.areas[0].polygons[0].count == 2)
        #expect(map.areas[1].polygons.count == 2)
        #expect(throws: AreaMap.Failure.notJSON) { try parse("{\"type\": ") }
        #expect(throws: AreaMap.Failure.notFeatureCollection) { try parse("{\"type\": \"Feature\"}") }
        #expect(throws: AreaMap.Failure.noAreas) { try parse("{\"type\": \"FeatureCollection\", \"features\": []}") }
        let point = Self.districts.replacingOccurrences(of: "\"MultiPolygon\"", with: "\"Point\"")
        #expect(throws: AreaMap.Failure.geometry(area: 2)) { try parse(point) }
        let far = Self.districts.replacingOccurrences(of: "[-74.0, 40.6]", with: "[-74.0, 140.6]")
        #expect(throws: AreaMap.Failure.coordinates(area: 3)) { try parse(far) }
        let none =
            #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"district": 1}, "#
            + #""geometry": {"type": "MultiPolygon", "coordinates": []}}]}"#
        #expect(throws: AreaMap.Failure.coordinates(area: 1)) { try parse(none) }
        let short = Self.districts.replacingOccurrences(of: "[-73.75, 40.85], [-73.8, 40.85], [-73.8, 40.8]]", with: "[-73.8, 40.8]]")
        #expect(throws: AreaMap.Failure.ring(area: 2)) { try parse(short) }
        #expect(throws: AreaMap.Failure.key(area: 2)) { try parse(Self.districts, key: "name") }
        #expect(throws: AreaMap.Failure.tooLarge) { try AreaMap.parse([UInt8](repeating: 0x20, count: AreaMap.maximumBytes + 1), keyProperty: "k") }
        // Nesting deep enough to exhaust a recursive parser's stack is refused, not a crash.
        #expect(throws: AreaMap.Failure.notJSON) { try parse(String(repeating: "[", count: 200_000)) }
    }

    @Test func test_a_map_draws_one_titled_path_per_area_a_legend_and_hatches_areas_without_data() throws {
        let map = try parse(Self.districts)
        let words = ChartSVG.Words(title: "Rates", description: "Highest 1", noValue: "no data") { value, _ in "\(Int(value))%" }
        let text = MapSVG(map: map, values: ["1": 80, "2": 8], kind: .percent, words: words, rightToLeft: false, id: "map-test").render()
        let root = try #require(XMLElementNode.parse(Data(text.utf8)), "not well-formed XML")
        let all = elements(root)
        #expect(root.attributes["role"] == "img" && root.child("title")?.text == "Rates" && root.child("desc")?.text == "Highest 1")
        let areas = all.filter { $0.name == "g" && $0.attributes["class"] == "mark" }.compactMap { $0.child("path") }
        #expect(areas.count == 3)
        #expect(areas.map { $0.child("title")?.text } == ["1: 80%", "2: 8%", "3: no data"])
        // The hole and the second polygon are subpaths of their area's one path.
        #expect(areas[0].attributes["d"]?.components(separatedBy: "M").count == 3 && areas[0].attributes["fill-rule"] == "evenodd")
        #expect(areas[1].attributes["d"]?.components(separatedBy: "M").count == 3)
        #expect(areas[2].attributes["fill"] == "url(#map-test-none)" && areas[0].attributes["fill"] != areas[1].attributes["fill"])
        let legend = try #require(all.first { $0.attributes["class"] == "legend" })
        #expect(legend.all("text").map(\.text) == ["8% – 80%", "no data"] || legend.all("text").count == 3)
        #expect(legend.all("text").last?.text == "no data")
        #expect(!text.contains("<script") && text.components(separatedBy: "http").count == 2)
    }

    @Test func test_an_editor_adds_a_map_and_readers_see_the_areas_coloured_with_those_without_figures_named() async throws {
        let site = try await TestSite.make()
        defer { Task { await site.destroy() } }
        try await addStaff(site, email: "ed@example.org", role: .editor)
        let forms = StaffEditorTests()
        try await site.run { client async throws in
            let editor = try #require(try await StaffBrowser.signIn(client, email: "ed@example.org"))
            let csv = ("districts.csv", Data("District,College-ready\n1,80%\n2,8%\n".utf8))
            let fields = [("title", "College-ready by district"), ("slug", "districts")]
            let created = try await forms.upload(client, editor, "/admin/datasets", fields: fields, file: csv)
            let editURL = try #require(created.headers[.location])
            let chart = [
                ("chart_kind", "map"), ("label_column", "0"), ("value_1", "yes"), ("order", "file"), ("kind_0", "text"), ("kind_1", "percent"),
            ]
            // A map chart without a map, and a map that cannot be read: refused with the reason.
            let noMap = try await forms.upload(client, editor, editURL, fields: fields + chart, file: nil)
            #expect(noMap.status == .unprocessableContent && noMap.text.contains("A map needs a map of areas"))
            let short = Self.districts.replacingOccurrences(of: "[-73.75, 40.85], [-73.8, 40.85], [-73.8, 40.8]]", with: "[-73.8, 40.8]]")
            let broken = try await forms.upload(
                client,
                editor,
                editURL,
                fields: fields + chart + [("map_key", "district")],
                file: nil,
                more: [("map", "nyc.geojson", Data(short.utf8))]
            )
            #expect(broken.status == .unprocessableContent && broken.text.contains("Area 2 of the map has a ring of fewer than four points."))

            let saved = try await forms.upload(
                client,
                editor,
                editURL,
                fields: fields + chart + [("map_key", "district")],
                file: nil,
                more: [("map", "nyc.geojson", Data(Self.districts.utf8))]
            )
            #expect(saved.status == .seeOther)
            let page = try await client.get("/data/districts").text
            #expect(page.contains("class=\"chart map\"") && page.contains("<title>1: 80%</title>") && page.contains("<title>3: no data</title>"))
            #expect(page.contains("<figcaption>No figures for: 3.</figcaption>"))
            let svg = try await client.get("/data/districts.svg").text
            #expect(XMLElementNode.parse(Data(svg.utf8)) != nil)
        }
    }

    func elements(_ node: XMLElementNode) -> [XMLElementNode] { [node] + node.children.flatMap(elements) }
}
