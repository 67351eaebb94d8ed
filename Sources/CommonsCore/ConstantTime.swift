/// Comparing secrets (tokens, one-time codes) so the time of an answer tells nothing of how
/// much of a guess was right.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, taking the same time wherever they first differ. Texts of
    /// different lengths are unequal at once: lengths are not secret here.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
