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
    /// Slugs are already safe in a path; anything else is percent-encoded.
    public var pathSegment: String { addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? self }
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
