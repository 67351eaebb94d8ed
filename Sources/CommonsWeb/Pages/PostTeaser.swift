import CommonsContent
import Foundation

/// A post as lists show it: title, date, and its summary or its text.
struct PostTeaser {
    let title: String
    let url: String
    let dateISO: String
    let dateText: String
    /// The editor's summary, as plain text; nil when the post has none.
    let summary: String?
    /// The post's whole body, sanitized HTML, when there is no summary and lists show the text.
    let bodyHTML: String?
    let readMoreLabel: String

    init(_ post: Post, formatting: Formatting, showBodyWithoutSummary: Bool) {
        title = post.title
        url = SitePath.localized(SitePath.post(post.slug), in: formatting.language)
        let date = post.publishAt ?? post.createdAt ?? Date(timeIntervalSince1970: 0)
        dateISO = formatting.machineDate(date)
        dateText = formatting.date(date)
        readMoreLabel = formatting.strings.format("news.read_more", ["title": post.title])
        if !post.summary.isEmpty {
            summary = post.summary
            bodyHTML = nil
        } else if showBodyWithoutSummary {
            summary = nil
            bodyHTML = post.bodyHTML
        } else {
            summary = Site.shorten(post.bodyText, to: 280)
            bodyHTML = nil
        }
    }
}
