import CommonsContent
import CommonsCore
import Crypto
import Foundation
import Synchronization

/// The site's stylesheet with the coalition's colours: `site.css` with a block of custom
/// properties after it, served under a name carrying the hash of the whole, so a change of
/// colour reaches every browser at once. Without colours set it is `site.css` itself.
final class Stylesheets: Sendable {
    /// The dark scheme's page colour in `site.css`; the accent as text is tinted to read on it.
    static let darkPaper = Colour(hex: "#16161a")!

    private let assets: Assets
    /// Made stylesheets by path, and their paths by colour pair; a handful at most (one per
    /// colour pair since the start), so a page's layout finds its path without hashing the file.
    private let made = Mutex<(byPath: [String: Assets.Asset], byColours: [String: String])>(([:], [:]))

    init(assets: Assets) {
        self.assets = assets
    }

    /// The path of the stylesheet for these colours, made now if it is new.
    func path(primary: Colour?, accent: Colour?) -> String {
        guard primary != nil || accent != nil else { return assets.path("site.css") }
        let colours = "\(primary?.description ?? "")|\(accent?.description ?? "")"
        if let path = made.withLock({ $0.byColours[colours] }) { return path }
        let css = Self.css(base: assets.byPath[assets.path("site.css")]!.bytes, primary: primary, accent: accent)
        let path = "/assets/site.\(Hex.string(SHA256.hash(data: css).prefix(6))).css"
        made.withLock { made in
            if made.byPath.count >= 16 { made = ([:], [:]) }
            made.byPath[path] = Assets.Asset(path: path, bytes: css, contentType: "text/css; charset=utf-8")
            made.byColours[colours] = path
        }
        return path
    }

    /// A stylesheet made for this process's colours, by its path.
    func asset(path: String) -> Assets.Asset? {
        made.withLock { $0.byPath[path] }
    }

    /// `site.css`, then the colours. White text sits on both (the settings refuse a colour it
    /// would not read on); in the dark scheme the accent used as text is lightened until it
    /// reads on the dark page.
    static func css(base: Data, primary: Colour?, accent: Colour?) -> Data {
        var block = "\n/* The coalition's colours, from its settings. */\n:root {"
        if let primary { block += " --primary: \(primary);" }
        if let accent { block += " --accent: \(accent); --accent-text: \(accent);" }
        block += " }\n"
        if let accent {
            let light = accent.tint(toward: .white, reaching: SiteSettings.minimumContrast, on: darkPaper)
            block += "@media (prefers-color-scheme: dark) { :root { --accent-text: \(light); } }\n"
        }
        return base + Data(block.utf8)
    }
}
