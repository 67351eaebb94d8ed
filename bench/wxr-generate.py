#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) the size of a coalition's long-lived site, for
bench/scale.sh: POSTS posts (a few paragraphs each, a category, two tags, links to other
posts and to attachments) and ATTACHMENTS PDF attachments whose files go under UPLOADS.

    bench/wxr-generate.py OUT.xml UPLOADS_DIR [POSTS] [ATTACHMENTS]
"""
import os
import random
import sys

out, uploads = sys.argv[1], sys.argv[2]
posts = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
attachments = int(sys.argv[4]) if len(sys.argv) > 4 else 500
random.seed(20)
words = ("parents students schools budget union teachers funding bilingual reading mayor council "
         "hearing district equity class size counselors libraries sanctuary families immigrant "
         "community coalition justice testimony rally petition chancellor").split()
site = "https://www.nyccej.org"


def sentence():
    return " ".join(random.choice(words) for _ in range(random.randint(8, 18))).capitalize() + "."


with open(out, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write('<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n')
    f.write(f"<title>CEJ</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>{site}</wp:base_site_url>\n"
            f"<wp:base_blog_url>{site}</wp:base_blog_url>\n")
    for term, name in [(3, "news"), (4, "press"), (5, "testimony")]:
        f.write(f"<wp:category><wp:term_id>{term}</wp:term_id><wp:category_nicename><![CDATA[{name}]]></wp:category_nicename>"
                f"<wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[{name.title()}]]></wp:cat_name></wp:category>\n")
    for term, tag in enumerate(sorted(set(words)), start=100):
        f.write(f"<wp:tag><wp:term_id>{term}</wp:term_id><wp:tag_slug><![CDATA[{tag}]]></wp:tag_slug>"
                f"<wp:tag_name><![CDATA[{tag}]]></wp:tag_name></wp:tag>\n")
    for number in range(1, attachments + 1):
        year, month = 2010 + number % 16, 1 + number % 12
        path = f"{year}/{month:02d}/flyer-{number}.pdf"
        os.makedirs(os.path.join(uploads, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(uploads, path), "wb") as pdf:
            pdf.write(b"%PDF-1.4\n% flyer " + str(number).encode() + b"\n" + os.urandom(2000) + b"\n%%EOF\n")
        post_id = 100000 + number
        f.write(f"<item>\n<title>Flyer {number}</title>\n<link>{site}/flyer-{number}/</link>\n"
                f"<guid isPermaLink=\"false\">{site}/wp-content/uploads/{path}</guid>\n"
                f"<content:encoded><![CDATA[]]></content:encoded>\n<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
                f"<wp:post_id>{post_id}</wp:post_id>\n<wp:post_date_gmt><![CDATA[{year}-{month:02d}-01 12:00:00]]></wp:post_date_gmt>\n"
                f"<wp:post_name><![CDATA[flyer-{number}]]></wp:post_name>\n<wp:status><![CDATA[inherit]]></wp:status>\n"
                f"<wp:post_parent>0</wp:post_parent>\n<wp:post_type><![CDATA[attachment]]></wp:post_type>\n"
                f"<wp:attachment_url><![CDATA[{site}/wp-content/uploads/{path}]]></wp:attachment_url>\n"
                f"<wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[{path}]]></wp:meta_value></wp:postmeta>\n"
                "</item>\n")
    for number in range(1, posts + 1):
        year, month, day = 2010 + number % 16, 1 + number % 12, 1 + number % 28
        paragraphs = "".join(f"<p>{sentence()} {sentence()} {sentence()}</p>" for _ in range(random.randint(3, 7)))
        other = random.randint(1, posts)
        flyer = random.randint(1, attachments)
        paragraphs += (f'<p>See <a href="{site}/?p={other}">an earlier post</a> and '
                       f'<a href="{site}/wp-content/uploads/{2010 + flyer % 16}/{1 + flyer % 12:02d}/flyer-{flyer}.pdf">the flyer</a>.</p>')
        category = random.choice(["news", "press", "testimony"])
        tags = random.sample(words, 2)
        f.write(f"<item>\n<title>{sentence()[:60]} {number}</title>\n<link>{site}/{year}/{month:02d}/post-{number}/</link>\n"
                f"<dc:creator><![CDATA[admin]]></dc:creator>\n<guid isPermaLink=\"false\">{site}/?p={number}</guid>\n"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>\n<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
                f"<wp:post_id>{number}</wp:post_id>\n<wp:post_date_gmt><![CDATA[{year}-{month:02d}-{day:02d} 15:00:00]]></wp:post_date_gmt>\n"
                f"<wp:post_name><![CDATA[post-{number}]]></wp:post_name>\n<wp:status><![CDATA[publish]]></wp:status>\n"
                f"<wp:post_parent>0</wp:post_parent>\n<wp:post_type><![CDATA[post]]></wp:post_type>\n"
                f'<category domain="category" nicename="{category}"><![CDATA[{category.title()}]]></category>\n'
                + "".join(f'<category domain="post_tag" nicename="{tag}"><![CDATA[{tag}]]></category>\n' for tag in tags)
                + "</item>\n")
    f.write("</channel>\n</rss>\n")
