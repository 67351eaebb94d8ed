import CommonsContent
import Foundation

/// `/news`, `/category/SLUG` and `/tag/SLUG`, each with `/page/N`: ten posts a page, newest
/// first, with older and newer links.
struct NewsList {
    let layout: Layout
    let heading: String
    let introduction: String?
    let posts: [PostTeaser]
    let pageLabel: String
    let olderURL: String?
    let newerURL: String?

    init(
        _ news: NewsPage,
        translations: [UUID: ContentTranslation] = [:],
        images: [String: [ImageLibrary.Size]] = [:],
        heading: String,
        introduction: String? = nil,
        pagePath: (Int) -> String,
        layout: Layout,
        formatting: Formatting
    ) {
        let language = formatting.language
        self.layout = layout
        self.heading = heading
        self.introduction = introduction
        posts = news.posts.enumerated().map { position, post in
            PostTeaser(
                post,
                translation: post.id.flatMap { translations[$0] },
                formatting: formatting,
                showBodyWithoutSummary: false,
                images: images,
                position: position
            )
        }
        pageLabel = formatting.strings.format("news.page_of", ["page": String(news.page), "count": String(news.pageCount)])
        olderURL = news.hasOlder ? SitePath.localized(pagePath(news.page + 1), in: language) : nil
        newerURL = news.hasNewer ? SitePath.localized(pagePath(news.page - 1), in: language) : nil
    }
}
