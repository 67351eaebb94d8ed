import CommonsCore
import Crypto
import Foundation
import Hummingbird

/// The site's static files (its one stylesheet, its icon), served under names that carry a hash
/// of their bytes so browsers may keep them for a year and still see every change at once.
public struct Assets: Sendable {
    public struct Asset: Sendable {
        public let path: String
        public let bytes: Data
        public let contentType: String
    }

    /// Fingerprinted path → asset.
    let byPath: [String: Asset]
    /// Plain name ("site.css") → fingerprinted path ("/assets/site.3f2a9c1e.css").
    let paths: [String: String]

    public init(directory: URL) throws {
        var byPath: [String: Asset] = [:]
        var paths: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).sorted(by: { $0.path < $1.path }) {
            let bytes = try Data(contentsOf: file)
            let hash = Hex.string(SHA256.hash(data: bytes).prefix(6))
            let name = file.lastPathComponent
            let stem = file.deletingPathExtension().lastPathComponent
            let path = "/assets/\(stem).\(hash).\(file.pathExtension)"
            byPath[path] = Asset(path: path, bytes: bytes, contentType: Self.contentType(for: file.pathExtension))
            paths[name] = path
        }
        self.byPath = byPath
        self.paths = paths
    }

    /// The public path of an asset by its plain name.
    public func path(_ name: String) -> String {
        guard let path = paths[name] else { preconditionFailure("No asset named \(name)") }
        return path
    }

    static func contentType(for fileExtension: String) -> String {
        switch fileExtension {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}
