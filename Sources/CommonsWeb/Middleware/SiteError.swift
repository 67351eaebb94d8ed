/// Answers a public handler gives instead of a page; the error middleware renders them.
enum SiteError: Error {
    /// 404: nothing here.
    case notFound
    /// 410: something was here and was deliberately removed.
    case gone
}
