import Foundation

/// What the staff area reads from a request beyond form fields, checked here in plain Swift
/// (no server types) so the fuzzer compiles it alone.
enum StaffInput {
    /// The browser family and system, from a User-Agent, for the sessions page ("Firefox · Linux").
    /// Nothing finer is kept: no version, no address.
    static func browserFamily(_ userAgent: String?) -> String? {
        guard let whole = userAgent, !whole.isEmpty else { return nil }
        // Real ones are a few hundred bytes; what is past that is not read.
        let agent = String(decoding: whole.utf8.prefix(512), as: UTF8.self)
        let browsers: [(String, String)] = [
            ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
            ("curl/", "curl"),
        ]
        let systems: [(String, String)] = [
            ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("CrOS", "ChromeOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
            ("Linux", "Linux"),
        ]
        let browser = browsers.first { agent.contains($0.0) }?.1
        let system = systems.first { agent.contains($0.0) }?.1
        switch (browser, system) {
        case (let b?, let s?): return "\(b) · \(s)"
        case (let b?, nil): return b
        case (nil, let s?): return s
        default: return nil
        }
    }

    /// `path` when it is an address of this site's staff area (with or without a language
    /// prefix), so the step-up form cannot send anyone elsewhere.
    static func staffAddress(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.utf8.count <= 2048,
            path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else { return nil }
        let segments = path.split(separator: "/", maxSplits: 2)
        guard segments.first == "admin" || (segments.count > 1 && segments[1] == "admin") || segments.first?.hasPrefix("admin?") == true else {
            return nil
        }
        return path
    }
}
