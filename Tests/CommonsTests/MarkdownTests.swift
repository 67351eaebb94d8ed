import CommonsContent
import Foundation
import Testing

@Suite("Markdown")
struct MarkdownTests {
    let renderer = MarkdownRenderer()

    /// The fuzz target's input that never finished: a link that may not link, inside a node
    /// whose parent cmark would not let hold the link's child, was unwrapped for ever. It now
    /// renders, with the images that may not show as their text and nothing of the script.
    @Test func test_a_link_whose_child_cmark_refuses_to_move_is_unwrapped_and_rendering_ends() throws {
        let file = StructureTests.sources.deletingLastPathComponent().appendingPathComponent("fuzz/corpus/markdown/timeout-unwrap-refused-child")
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        let html = renderer.html(from: text)
        #expect(html.contains("<table>"))
        #expect(!html.contains("<script"))
        #expect(!html.lowercased().contains("javascript:"))
    }

    @Test func test_paragraphs_lists_and_emphasis_render() {
        let html = renderer.html(from: "Parents **lead**.\n\n1. One\n2. Two\n")
        #expect(html == "<p>Parents <strong>lead</strong>.</p>\n<ol>\n<li>One</li>\n<li>Two</li>\n</ol>")
    }

    @Test func test_raw_html_block_comes_out_as_visible_text() {
        let html = renderer.html(from: "<script>alert('x')</script>\n\nAfter.")
        #expect(!html.contains("<script"))
        #expect(html.contains("<p>&lt;script&gt;alert('x')&lt;/script&gt;</p>"))
        #expect(html.contains("<p>After.</p>"))
    }

    @Test func test_inline_html_with_event_handler_is_inert() {
        let html = renderer.html(from: "Look <img src=x onerror=\"alert(1)\"> here and <b onclick=\"x()\">bold</b>.")
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b "))
        #expect(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
    }

    @Test(arguments: [
        "[click](javascript:alert(1))", "[click](JavaScript:alert(1))", "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)", "[click][evil]\n\n[evil]: javascript:alert(1)",
        // Found by fuzzing: ":" fused with a combining mark hid the scheme from a Character search.
        "[click](javascript:\u{0301}alert(1))", "[click](JAVASCRIPT:\u{0711}x)",
    ])
    func test_dangerous_links_render_as_text(markdown: String) {
        let html = renderer.html(from: markdown)
        #expect(!html.contains("href"), "\(html)")
        #expect(html.contains("click"))
    }

    @Test(arguments: [
        ("[a](https://www.nyccej.org/x)", "https://www.nyccej.org/x"), ("[a](http://example.org)", "http://example.org"),
        ("[a](mailto:info@nyccej.org)", "mailto:info@nyccej.org"), ("[a](tel:+12125551234)", "tel:+12125551234"),
        ("[a](/documents/x)", "/documents/x"), ("[a](#top)", "#top"), ("[a](page?x=a:b)", "page?x=a:b"),
    ])
    func test_safe_links_keep_their_target(markdown: String, href: String) {
        #expect(renderer.html(from: markdown) == "<p><a href=\"\(href)\">a</a></p>")
    }

    @Test func test_quotes_in_a_link_cannot_break_out_of_the_attribute() {
        let html = renderer.html(from: "[x](https://a.org/\"onmouseover=\"alert(1))")
        #expect(!html.contains("\"onmouseover"))
        #expect(html == "<p><a href=\"https://a.org/%22onmouseover=%22alert(1)\">x</a></p>")
    }

    @Test func test_image_alt_and_source_are_escaped_and_checked() {
        #expect(
            renderer.html(from: "![A \"quoted\" alt](/a.png)") == "<p><img src=\"/a.png\" alt=\"A &quot;quoted&quot; alt\" loading=\"lazy\"></p>"
        )
        let evil = renderer.html(from: "![pic](javascript:alert(1))")
        #expect(!evil.contains("<img"))
    }

    @Test func test_image_without_alt_text_is_a_problem_for_the_editor() {
        #expect(renderer.problems(in: "![](/a.png)") == ["error.image_alt_missing"])
        #expect(renderer.problems(in: "![  ](/a.png)") == ["error.image_alt_missing"])
        #expect(renderer.problems(in: "![Parents at City Hall](/a.png)").isEmpty)
    }

    @Test func test_headings_get_unique_ids() {
        let html = renderer.html(from: "## Our Demands\n\n## Our Demands\n\n### Qué pedimos")
        #expect(html.contains("<h2 id=\"our-demands\">Our Demands</h2>"))
        #expect(html.contains("<h2 id=\"our-demands-2\">Our Demands</h2>"))
        #expect(html.contains("<h3 id=\"qué-pedimos\">Qué pedimos</h3>"))
    }

    @Test func test_code_block_language_cannot_inject_attributes() {
        let html = renderer.html(from: "```swift\"onclick=\"x\nlet a = \"<b>\"\n```")
        #expect(html.contains("<pre><code class=\"language-swiftonclickx\">"))
        #expect(html.contains("&lt;b&gt;"))
    }

    @Test func test_tables_strikethrough_and_autolinks_render_and_autolinks_are_checked() {
        let html = renderer.html(from: "| School | Seats |\n|---|---|\n| P.S. 1 | 30 |\n\n~~old~~ www.nyccej.org")
        #expect(html.contains("<table>") && html.contains("<td>P.S. 1</td>"))
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains("<a href=\"http://www.nyccej.org\">www.nyccej.org</a>"))
    }

    /// Inputs that made the former parser (Ink) overflow the stack or run for minutes.
    @Test(arguments: [
        String(repeating: "[", count: 10_000), String(repeating: "![", count: 5000), String(repeating: "[", count: 30) + "x",
        String(repeating: "<", count: 100_000), String(repeating: ">", count: 50_000) + " deep", String(repeating: "*", count: 50_000),
        String(repeating: "- ", count: 10_000) + "x", String(repeating: "[a](", count: 10_000), String(repeating: "`", count: 50_000),
        String(repeating: "<a ", count: 20_000), String(repeating: "\\[", count: 20_000), String(repeating: "**a ", count: 20_000),
    ])
    func test_pathological_markdown_renders_at_once(markdown: String) {
        let html = renderer.html(from: markdown)
        #expect(!html.contains("<script"))
        #expect(renderer.problems(in: markdown).count <= 1)
    }

    @Test func test_no_markup_of_the_editors_survives_whatever_they_type() {
        let attempts = [
            "<div onclick=x>a</div>", "<!-- x --><b>y</b>", "<![CDATA[x]]>", "<?php x ?>", "<a href=\"javascript:x\">y</a>",
            "[x](<javascript:alert(1)>)", "![x](data:image/svg+xml,<svg onload=alert(1)>)", "[x]( javascript:alert(1) )",
            "<https://ok.org>", "<javascript:alert(1)>", "<mailto:a@b.org>",
        ]
        for markdown in attempts {
            let html = renderer.html(from: markdown)
            let tags = html.matches(of: #/<([a-zA-Z][a-zA-Z0-9]*)/#).map { String($0.output.1) }
            #expect(Set(tags).isSubset(of: ["p", "a", "img", "strong", "em"]), "\(markdown) → \(html)")
            #expect(!html.lowercased().contains("href=\"javascript") && !html.contains("src=\"data:"), "\(markdown) → \(html)")
            #expect(!html.contains("<svg") && !html.contains("<div") && !html.contains("<!--"), "\(markdown) → \(html)")
        }
    }

    @Test func test_plain_text_drops_markup() {
        #expect(renderer.plainText(from: "Read **the** [proposal](/documents/p).") == "Read the proposal .")
    }
}
