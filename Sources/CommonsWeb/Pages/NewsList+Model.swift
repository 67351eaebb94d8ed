import CommonsContent

/// `/news` and `/news/page/N`: ten posts a page, newest first, with older and newer links.
struct NewsList {
    let layout: Layout
    let heading: String
    let posts: [PostTeaser]
    let pageLabel: String
    let olderURL: String?
    let newerURL: String?

    init(_ news: NewsPage, layout: Layout, formatting: Formatting) {
        let language = formatting.language
        self.layout = layout
        heading = news.page == 1 ? formatting.strings["news.title"] : formatting.strings.format("news.page_title", ["page": String(news.page)])
        posts = news.posts.map { PostTeaser($0, formatting: formatting, showBodyWithoutSummary: false) }
        pageLabel = formatting.strings.format("news.page_of", ["page": String(news.page), "count": String(news.pageCount)])
        olderURL = news.hasOlder ? SitePath.localized(SitePath.news(page: news.page + 1), in: language) : nil
        newerURL = news.hasNewer ? SitePath.localized(SitePath.news(page: news.page - 1), in: language) : nil
    }
}
