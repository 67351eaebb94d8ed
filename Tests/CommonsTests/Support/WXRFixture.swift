import Foundation

/// A small WordPress export of our own, with one of each kind of item the importer meets.
enum WXRFixture {
    static let site = "https://www.nyccej.org"

    static func item(
        id: Int,
        type: String = "post",
        title: String,
        slug: String,
        status: String = "publish",
        date: String,
        gmt: String,
        content: String = "",
        excerpt: String = "",
        categories: [(String, String)] = [],
        tags: [(String, String)] = [],
        link: String? = nil,
        extra: String = ""
    ) -> String {
        let terms =
            categories.map { "<category domain=\"category\" nicename=\"\($0.0)\"><![CDATA[\($0.1)]]></category>" }
            + tags.map { "<category domain=\"post_tag\" nicename=\"\($0.0)\"><![CDATA[\($0.1)]]></category>" }
        return """
            <item>
              <title>\(title)</title>
              <link>\(link ?? "\(site)/\(date.prefix(4))/\(date.dropFirst(5).prefix(2))/\(date.dropFirst(8).prefix(2))/\(slug)/")</link>
              <pubDate>Thu, 08 Dec 2016 15:00:00 +0000</pubDate>
              <dc:creator><![CDATA[cej_admin]]></dc:creator>
              <guid isPermaLink="false">\(site)/?p=\(id)</guid>
              <description></description>
              <content:encoded><![CDATA[\(content)]]></content:encoded>
              <excerpt:encoded><![CDATA[\(excerpt)]]></excerpt:encoded>
              <wp:post_id>\(id)</wp:post_id>
              <wp:post_date><![CDATA[\(date)]]></wp:post_date>
              <wp:post_date_gmt><![CDATA[\(gmt)]]></wp:post_date_gmt>
              <wp:post_name><![CDATA[\(slug)]]></wp:post_name>
              <wp:status><![CDATA[\(status)]]></wp:status>
              <wp:post_parent>0</wp:post_parent>
              <wp:post_type><![CDATA[\(type)]]></wp:post_type>
              \(terms.joined(separator: "\n      "))
              \(extra)
            </item>
            """
    }

    static func export(version: String = "1.2", items: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0"
            xmlns:excerpt="http://wordpress.org/export/\(version)/excerpt/"
            xmlns:content="http://purl.org/rss/1.0/modules/content/"
            xmlns:wfw="http://wellformedweb.org/CommentAPI/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:wp="http://wordpress.org/export/\(version)/">
        <channel>
          <title>NYC Coalition for Educational Justice</title>
          <link>\(site)</link>
          <description>Parents fighting for equity</description>
          <language>en-US</language>
          <wp:wxr_version>\(version)</wp:wxr_version>
          <wp:base_site_url>\(site)</wp:base_site_url>
          <wp:base_blog_url>\(site)</wp:base_blog_url>
          <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[cej_admin]]></wp:author_login><wp:author_display_name><![CDATA[CEJ Communications]]></wp:author_display_name></wp:author>
          <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[press]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Press Releases]]></wp:cat_name></wp:category>
          <wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[campaigns]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Campaigns]]></wp:cat_name><wp:category_description><![CDATA[What parents are fighting for]]></wp:category_description></wp:category>
          <wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[class-size]]></wp:category_nicename><wp:category_parent><![CDATA[campaigns]]></wp:category_parent><wp:cat_name><![CDATA[Class Size]]></wp:cat_name></wp:category>
          <wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[sanctuary]]></wp:tag_slug><wp:tag_name><![CDATA[Sanctuary Schools]]></wp:tag_name></wp:tag>
        \(items.joined(separator: "\n"))
        </channel>
        </rss>
        """
    }

    /// The fixture the tests import: posts in several categories, a draft, a scheduled post, a
    /// page, attachments with and without their files, a post with a script and shortcodes,
    /// a revision and a menu item (skipped).
    static func standard(scheduledDate: String = "2031-03-01 09:00:00", scheduledGMT: String = "2031-03-01 14:00:00") -> String {
        export(items: [
            item(
                id: 101,
                title: "Parents Rally for Sanctuary Schools",
                slug: "parents-rally-for-sanctuary-schools",
                date: "2016-12-08 10:00:00",
                gmt: "2016-12-08 15:00:00",
                content: """
                    Parents gathered at Tweed Courthouse.

                    Read our <a href="\(site)/platform/">platform</a> and the <a href="/2017/01/15/class-size-victory/">class size victory</a>.
                    <img src="\(site)/wp-content/uploads/2016/12/rally-300x200.jpg" alt="Parents at the rally" class="size-medium" onerror="alert(1)">
                    <script>alert("stolen")</script>
                    [caption id="attachment_201" align="alignnone" width="300"]A caption kept as text[/caption]
                    [gallery ids="1,2"]
                    <p style="color:red" onclick="evil()">Styled <b>bold</b> text with <a href="javascript:alert(1)">a bad link</a>.</p>
                    <table><tr><th>School</th><td>P.S. 1</td></tr></table>
                    """,
                excerpt: "A rally at Tweed.",
                categories: [("press", "Press Releases"), ("campaigns", "Campaigns")],
                tags: [("sanctuary", "Sanctuary Schools")]
            ),
            item(
                id: 102,
                title: "Class Size Victory",
                slug: "class-size-victory",
                date: "2017-01-15 18:30:00",
                gmt: "2017-01-15 23:30:00",
                content: "<p>The state <em>agreed</em>.</p><p>Download <a href=\"\(site)/wp-content/uploads/2017/01/report.pdf\">the report</a>.</p>",
                categories: [("class-size", "Class Size")]
            ),
            item(
                id: 103,
                title: "Draft statement",
                slug: "",
                status: "draft",
                date: "2017-02-01 09:00:00",
                gmt: "0000-00-00 00:00:00",
                content: "Not ready yet.",
                link: "\(site)/?p=103"
            ),
            item(
                id: 104,
                title: "Budget hearing testimony",
                slug: "budget-hearing-testimony",
                status: "future",
                date: scheduledDate,
                gmt: scheduledGMT,
                content: "We will testify."
            ),
            item(
                id: 105,
                type: "page",
                title: "Our Platform",
                slug: "platform",
                date: "2015-06-01 12:00:00",
                gmt: "2015-06-01 16:00:00",
                content: "<h1>Platform</h1><ul><li>Equity</li><li>Language access</li></ul>",
                link: "\(site)/platform/"
            ),
            item(
                id: 201,
                type: "attachment",
                title: "Rally photo",
                slug: "rally",
                status: "inherit",
                date: "2016-12-08 10:00:00",
                gmt: "2016-12-08 15:00:00",
                link: "\(site)/2016/12/08/parents-rally-for-sanctuary-schools/rally/",
                extra: """
                    <wp:attachment_url><![CDATA[\(site)/wp-content/uploads/2016/12/rally.jpg]]></wp:attachment_url>
                    <wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[2016/12/rally.jpg]]></wp:meta_value></wp:postmeta>
                    """
            ),
            item(
                id: 202,
                type: "attachment",
                title: "Class size report",
                slug: "report",
                status: "inherit",
                date: "2017-01-15 18:30:00",
                gmt: "2017-01-15 23:30:00",
                content: "The full report.",
                link: "\(site)/2017/01/15/class-size-victory/report/",
                extra: "<wp:attachment_url><![CDATA[\(site)/wp-content/uploads/2017/01/report.pdf]]></wp:attachment_url>"
            ),
            item(
                id: 203,
                type: "attachment",
                title: "Lost flyer",
                slug: "lost-flyer",
                status: "inherit",
                date: "2017-01-15 18:30:00",
                gmt: "2017-01-15 23:30:00",
                link: "\(site)/lost-flyer/",
                extra: "<wp:attachment_url><![CDATA[\(site)/wp-content/uploads/2017/01/lost-flyer.pdf]]></wp:attachment_url>"
            ),
            item(
                id: 301,
                type: "revision",
                title: "Parents Rally",
                slug: "101-revision-v1",
                status: "inherit",
                date: "2016-12-08 10:00:00",
                gmt: "2016-12-08 15:00:00"
            ),
            item(id: 302, type: "nav_menu_item", title: "Home", slug: "home", date: "2016-12-08 10:00:00", gmt: "2016-12-08 15:00:00"),
        ])
    }

    /// The uploads folder: the photo and the report exist, the flyer does not.
    static func uploads(in folder: URL) throws -> URL {
        let uploads = folder.appendingPathComponent("uploads")
        for (path, bytes) in [
            ("2016/12/rally.jpg", Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]) + Data(repeating: 0, count: 64)),
            ("2017/01/report.pdf", Data("%PDF-1.4\nclass size report\n%%EOF\n".utf8)),
        ] {
            let file = uploads.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: file)
        }
        return uploads
    }
}
