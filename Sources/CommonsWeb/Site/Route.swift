import CommonsCore
import Foundation
import Hummingbird

/// One address of the site, written once: the router registers its pattern, and links to it
/// are printed from the same value, `:name` segments filled in order (`SitePath.post("x")`).
public struct Route: Sendable, Hashable, CustomStringConvertible {
    /// As Hummingbird's router reads it: `/news/:slug`.
    public let pattern: String

    init(_ pattern: String) {
        self.pattern = pattern
    }

    var routerPath: RouterPath { RouterPath(pattern) }

    public var description: String { pattern }

    /// The path with each `:name` segment replaced by the next value; a route without
    /// parameters is its own path.
    public func callAsFunction(_ values: any RouteValue...) -> String { filled(values) }

    /// The path in a language: `/es/news/x` for Spanish, as it is for English.
    public func callAsFunction(in language: Language, _ values: any RouteValue...) -> String {
        SitePath.localized(filled(values), in: language)
    }

    func filled(_ values: [any RouteValue]) -> String {
        var remaining = values[...]
        return pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            guard segment.hasPrefix(":"), let value = remaining.popFirst() else { return segment }
            return Substring(value.pathSegment)
        }.joined(separator: "/")
    }
}

/// A value that fills a route's parameter.
public protocol RouteValue: Sendable {
    var pathSegment: String { get }
}

extension String: RouteValue {
    /// Slugs are already safe in a path and are taken as they are (checked byte by byte: building
    /// the character set on every call took 60 ms of a 10,000-post sitemap); anything else is
    /// percent-encoded.
    public var pathSegment: String {
        if utf8.allSatisfy({ byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".")
        }) {
            return self
        }
        return addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? self
    }

    private static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(["/"])
}

extension UUID: RouteValue {
    /// Lowercase, as every link and redirect prints ids.
    public var pathSegment: String { uuidString.lowercased() }
}

extension Int: RouteValue {
    public var pathSegment: String { String(self) }
}

extension RouterMethods {
    /// Registers `route`'s pattern for GET.
    @discardableResult func get(
        _ route: Route,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) -> Self {
        on(route.routerPath, method: .get, use: handler)
    }

    /// Registers `route`'s pattern for POST.
    @discardableResult func post(
        _ route: Route,
        use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator
    ) -> Self {
        on(route.routerPath, method: .post, use: handler)
    }
}

extension AppRequestContext {
    /// `route`'s path in the language this request is served in.
    func link(_ route: Route, _ values: any RouteValue...) -> String {
        SitePath.localized(route.filled(values), in: language)
    }
}

extension StaffContext {
    /// `route`'s path in the language the staff member is using: `/es/admin/...` links stay Spanish.
    func link(_ route: Route, _ values: any RouteValue...) -> String {
        SitePath.localized(route.filled(values), in: language)
    }
}
