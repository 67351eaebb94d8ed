import Foundation

/// Addresses on other sites that staff type in: a link a page may print, and the origin of a
/// partner's website that may frame the coalition's forms.
public enum WebAddress {
    /// An absolute http or https address with a host, that a link may name.
    public static func isLink(_ text: String) -> Bool {
        guard text.utf8.count <= 2000, !text.contains(where: { $0.isWhitespace }), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// The origin a browser sends for a page at `text` (`https://partner.example`, a port only
    /// when it is not the scheme's own), lowercased; nil unless `text` is an http or https
    /// address with a plain host name (letters, digits, dots, hyphens; no user, query or
    /// fragment) and at most a `/` for its path. Written into a header as it is, so nothing
    /// else may pass.
    public static func origin(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 300, let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host?.lowercased(), !host.isEmpty, host.count <= 253,
            host.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "-" }),
            !host.hasPrefix("."), !host.hasPrefix("-"),
            components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
            components.path.isEmpty || components.path == "/"
        else { return nil }
        let port = components.port.flatMap { port -> String? in
            (scheme == "http" && port == 80) || (scheme == "https" && port == 443) ? nil : ":\(port)"
        }
        if let port = components.port, !(1...65535).contains(port) { return nil }
        return "\(scheme)://\(host)\(port ?? "")"
    }
}
