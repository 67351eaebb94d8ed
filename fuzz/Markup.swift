import Foundation

/// Every tag in `html` is allowed, has no event-handler attribute, and its `href` and `src`
/// use no scheme but http, https, mailto and tel; with `links: false` (a drawing), no attribute
/// is a link at all (`href`, `xlink:href`, `src`), no value names a script or data scheme, and
/// every `url(` in a value points inside the drawing (`url(#id)`). Attributes are read as
/// browsers read our output: names, `=`, a double-quoted value (so text inside a value, or
/// between tags, is never taken for an attribute; the fuzzer found both mistakes in a plain
/// text search).
func checkMarkup(_ html: String, allowed: Set<String>, source: String, links: Bool = true) {
    var rest = html.unicodeScalars[...]
    while let open = rest.firstIndex(of: "<") {
        rest = rest[rest.index(after: open)...]
        if rest.first == "/" { rest = rest.dropFirst() }
        let name = String(String.UnicodeScalarView(rest.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) })).lowercased()
        precondition(allowed.contains(name), "tag <\(name)> from \(source.debugDescription)")
        rest = rest.dropFirst(name.unicodeScalars.count)
        while let next = rest.first, next != ">" {
            if next == " " {
                rest = rest.dropFirst()
                continue
            }
            let attribute = String(String.UnicodeScalarView(rest.prefix { $0 != "=" && $0 != " " && $0 != ">" })).lowercased()
            precondition(!attribute.isEmpty && !attribute.hasPrefix("on"), "attribute \(attribute) from \(source.debugDescription)")
            precondition(
                links || !(attribute == "href" || attribute.hasSuffix(":href") || attribute == "src"),
                "a link (\(attribute)) from \(source.debugDescription)"
            )
            rest = rest.dropFirst(attribute.unicodeScalars.count)
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst()
            precondition(rest.first == "\"", "unquoted value from \(source.debugDescription)")
            rest = rest.dropFirst()
            let value = String(String.UnicodeScalarView(rest.prefix { $0 != "\"" }))
            rest = rest.dropFirst(value.unicodeScalars.count + 1)
            precondition(!value.contains("<") && !value.contains(">"), "raw < or > in a value from \(source.debugDescription)")
            if !links {
                let lowered = value.lowercased().replacingOccurrences(of: "&#39;", with: "'")
                precondition(!lowered.contains("javascript:") && !lowered.contains("data:"), "a script or data scheme from \(source.debugDescription)")
                var remaining = Substring(lowered)
                while let range = remaining.range(of: "url(") {
                    precondition(remaining[range.upperBound...].drop { $0 == " " || $0 == "'" }.first == "#", "url() outside from \(source.debugDescription)")
                    remaining = remaining[range.upperBound...]
                }
            }
            if attribute == "href" || attribute == "src" {
                // A scheme as a browser reads one (RFC 3986: a letter, then letters, digits, + - .),
                // before the first ":", by scalar: a Character may hide a ":" or "/".
                let scalars = value.unicodeScalars
                if let colon = scalars.firstIndex(of: ":") {
                    let scheme = String(String.UnicodeScalarView(scalars[..<colon]))
                    let first = scheme.unicodeScalars.first.map { $0.isASCII && $0.properties.isAlphabetic } ?? false
                    let rest = scheme.unicodeScalars.allSatisfy {
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
                    }
                    if first && rest {
                        precondition(
                            ["http", "https", "mailto", "tel"].contains(scheme.lowercased()),
                            "scheme \(scheme) from \(source.debugDescription)"
                        )
                    }
                }
            }
        }
    }
}
