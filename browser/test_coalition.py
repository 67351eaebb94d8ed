"""The coalition's members and the forms their websites frame, in a real browser: a partner page
served by the test on another port holds two embedded forms, both are answered inside their
frames, and each answer is counted for the member; a page the admin did not list cannot frame them."""

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import free_port, sign_in
from test_site import audit

LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>
<circle cx="5" cy="5" r="4" fill="#8a1c1c"/></svg>"""


def serve(port, html):
    """A partner's website: one page, on its own origin (another port)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def partner_page(*snippets):
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Parents United</title></head><body>"
            "<h1>Parents United of the Bronx</h1>" + "".join(snippets) + "</body></html>")


def embedded_frames(page, base, count, notes=()):
    for _ in range(100):
        frames = [f for f in page.frames if f.url.startswith(base + "/embed/")]
        if len(frames) == count and all(f.locator("form.action-form").count() == 1 for f in frames):
            return frames
        time.sleep(0.1)
    raise AssertionError(f"expected {count} embedded forms, frames: {[f.url for f in page.frames]} {list(notes)} {page.content()[:600]}")


def test_partner_sites_frame_the_forms_and_each_sign_up_counts_for_its_member(watched, browser):
    page = watched.page
    base = watched.base
    partner_port, stranger_port = free_port(), free_port()
    partner_origin = f"http://127.0.0.1:{partner_port}"

    sign_in(page, base, "admin")
    page.goto(base + "/admin/settings")
    page.fill("#staff-embed-origins", partner_origin)
    with page.expect_navigation():
        page.click("form.staff-form button[type=submit]")
    page.goto(base + "/admin/events/new")
    page.fill("#staff-title", "Coalition forum")
    page.fill("#staff-starts-at", "2031-06-06T18:00")
    page.fill("#staff-ends-at", "2031-06-06T20:00")
    page.fill("#staff-description", "Members meet.")
    with page.expect_navigation():
        page.click("form.staff-form button[type=submit]")

    page.goto(base + "/admin/members/new")
    page.fill("#staff-title", "Parents United of the Bronx")
    page.fill("#staff-areas", "Bronx, Mott Haven")
    page.fill("#staff-description", "Parents organizing since 1998.")
    page.check("#staff-language-es")
    page.set_input_files("#staff-logo", files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": LOGO}])
    with page.expect_navigation():
        page.click("form.staff-form button[type=submit]")
    member_url = page.url
    assert "/admin/members/" in member_url
    audit(page, "staff-member")
    campaign_snippet = page.input_value("#snippet-campaign-sanctuary-schools")
    event_snippet = page.input_value("#snippet-event-coalition-forum")
    assert f'src="{base}/embed/campaigns/sanctuary-schools?via=parents-united-of-the-bronx"' in campaign_snippet
    assert "<script" not in campaign_snippet + event_snippet

    # The public pages: the list, filtered, and the member with its logo.
    page.goto(base + "/coalition?area=Bronx")
    assert page.locator(".member-card h2 a").all_inner_texts() == ["Parents United of the Bronx"]
    audit(page, "coalition")
    page.click("text=Parents United of the Bronx")
    assert page.locator("img.member-logo").evaluate("img => img.complete && img.naturalWidth > 0")
    audit(page, "member")
    page.goto(base + "/embed/campaigns/sanctuary-schools?via=parents-united-of-the-bronx")
    audit(page, "embed-campaign")

    partner = serve(partner_port, partner_page(campaign_snippet, event_snippet))
    stranger = serve(stranger_port, partner_page(campaign_snippet))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        visitor = context.new_page()
        refused = []
        visitor.on("console", lambda message: refused.append(message.text))
        visitor.goto(partner_origin + "/")
        campaign, event = sorted(embedded_frames(visitor, base, 2, refused), key=lambda f: "/events/" in f.url)
        # A mistake is explained inside the frame; the partner's page stays where it is.
        time.sleep(3.2)
        campaign.click("form.action-form button[type=submit]")
        campaign.wait_for_selector(".error-summary")
        assert campaign.locator("#field-email").get_attribute("aria-invalid") == "true"
        assert visitor.url == partner_origin + "/"
        # Both forms answered side by side, each with its own one-time token.
        campaign.fill("#field-given-name", "Framed")
        campaign.fill("#field-email", "framed.person@example.org")
        event.fill("#field-given-name", "Framed")
        event.fill("#field-email", "framed.rsvp@example.org")
        time.sleep(3.2)
        campaign.click("form.action-form button[type=submit]")
        event.click("form.action-form button[type=submit]")
        campaign.wait_for_url(base + "/embed/campaigns/sanctuary-schools/thanks")
        event.wait_for_url(re.compile(re.escape(base) + r"/embed/events/coalition-forum/thanks\?r=.+"))
        assert "Thank you" in campaign.locator("h1").inner_text()
        assert "Your RSVP is confirmed" in event.content()
        assert visitor.url == partner_origin + "/"
        assert context.cookies(base) == []

        # A site the admin did not list: Chromium refuses to show the form in its frame.
        visitor.goto(f"http://127.0.0.1:{stranger_port}/")
        visitor.wait_for_timeout(1000)
        framed = [f for f in visitor.frames if f != visitor.main_frame]
        assert framed and all(f.locator("form.action-form").count() == 0 for f in framed)
        assert any("frame-ancestors" in text for text in refused), refused
    finally:
        context.close()
        partner.shutdown()
        stranger.shutdown()

    # Counted for the member, counts only.
    page.goto(member_url)
    rows = page.locator("#panel-partner-counts ~ div table tbody tr").all_inner_texts()
    assert sorted(r.replace("\t", " ").strip() for r in rows) == ["Coalition forum 1", "Sanctuary Schools 1"], rows
    assert "framed.person" not in page.content()
    watched.check_clean(allow_console=("status of 422",))
