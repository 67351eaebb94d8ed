import Foundation

/// A one-page PDF that says it stands in for a real document, so the demo site's links lead somewhere honest.
enum PlaceholderPDF {
    static func make(title: String, lines: [String]) -> Data {
        var text = "BT /F1 18 Tf 72 720 Td (\(escape(title))) Tj ET\n"
        var y = 690
        for line in lines {
            text += "BT /F1 12 Tf 72 \(y) Td (\(escape(line))) Tj ET\n"
            y -= 18
        }
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(text.utf8.count) >>\nstream\n\(text)endstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Title (\(escape(title))) /Producer (Commons) >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            pdf += String(format: "%010d 00000 n \n", offset)
        }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 6 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }

    /// PDF strings are Latin-1 here: keep ASCII, escape the three special characters.
    private static func escape(_ text: String) -> String {
        let ascii = text.replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "“", with: "\"").replacingOccurrences(of: "”", with: "\"")
        return ascii.unicodeScalars.filter(\.isASCII).map { scalar in
            switch scalar {
            case "\\", "(", ")": "\\\(scalar)"
            default: String(scalar)
            }
        }.joined()
    }
}
