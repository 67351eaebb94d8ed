"""How the site looks in a real browser: pictures on the news at their size (nothing shifts when
they arrive), the home page's weight on a phone, no sideways scrolling at 360 px, and the dark
scheme passing axe like the light one. Screenshots at 360x800 and 1440x900 go to screenshots/."""

from pathlib import Path

import pytest

from conftest import screenshot, sign_in
from test_site import AXE

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "CommonsTests" / "Fixtures"

# Layout shifts as Chromium reports them, summed from the first paint (CLS without its windows).
MEASURE_SHIFTS = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

PAGES = [
    ("home", "/"),
    ("news", "/news"),
    ("post-with-picture", "/news/parents-rally-at-tweed"),
    ("campaign", "/campaigns/sanctuary-schools"),
    ("events", "/events"),
    ("event", "/events/sanctuary-schools-press-conference"),
    ("dataset", "/data/college-ready-by-neighborhood"),
    ("home-arabic", "/ar/"),
]


@pytest.fixture(scope="module")
def pictures(browser, server):
    """An editor uploads a photo and a drawing and publishes two posts with them, dated before the
    seed's post so the rest of the suite still finds that one first."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, server, "editor")
    for title, description, file in [
        ("Rally at Tweed", "Parents rally on the steps of Tweed Courthouse.", "photo-exif.jpg"),
        ("Circle", "A blue circle.", "small.png"),
    ]:
        page.goto(server + "/admin/documents/new")
        page.fill("#staff-title", title)
        page.fill("#staff-description", description)
        page.set_input_files("#staff-file", str(FIXTURES / file))
        with page.expect_navigation():
            page.click("form.staff-form button[type=submit]")
        assert "/admin/documents/" in page.url and "/new" not in page.url, page.content()[:2000]
    for title, picture, date in [("Parents rally at Tweed", "Rally at Tweed", "2016-11-30T18:00"),
                                 ("A circle for the news", "Circle", "2016-11-20T18:00")]:
        page.goto(server + "/admin/posts/new")
        page.fill("#post-title", title)
        page.fill("#post-summary", "Families came together downtown to ask the city for schools that welcome every child.")
        page.fill("#post-body", "We were there.")
        page.select_option("#post-status", "published")
        page.fill("#post-publish_at", date)
        page.select_option("#post-featured_document", label=picture)
        with page.expect_navigation():
            page.click("button[value=save]")
    page.click("form.logout button")
    context.close()
    return server


def measured(browser, base, path, width, scheme="light"):
    """A fresh phone- or desktop-sized page (an empty cache), loaded and scrolled to the end so
    every lazy picture arrives; returns the page and its context."""
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 600 else 900}, color_scheme=scheme)
    page = context.new_page()
    page.add_init_script(MEASURE_SHIFTS)
    response = page.goto(base + path, wait_until="load")
    assert response.status == 200, path
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return page, context


def transferred(page):
    """Bytes on the wire for the page and everything it loaded: headers and compressed bodies."""
    return page.evaluate("""() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .reduce((sum, entry) => sum + entry.transferSize, 0)""")


def test_pictures_show_on_the_news_at_their_size_and_nothing_shifts(browser, pictures):
    for name, path in [("home", "/"), ("news", "/news"), ("post-with-picture", "/news/parents-rally-at-tweed")]:
        page, context = measured(browser, pictures, path, 1440)
        images = page.locator("main picture img")
        assert images.count() >= 1, path
        for index in range(images.count()):
            image = images.nth(index)
            assert image.get_attribute("width") and image.get_attribute("height")
            assert page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle()), path
            # The browser took a WebP copy, never the uploaded original.
            assert "/images/" in image.evaluate("img => img.currentSrc") and image.evaluate("img => img.currentSrc").endswith(".webp")
        shift = page.evaluate("window.__shift")
        assert shift < 0.01, f"{path}: layout shift {shift}"
        screenshot(page, name + "-pictures")
        context.close()


def test_the_home_page_with_pictures_is_light_on_a_phone(browser, pictures):
    page, context = measured(browser, pictures, "/", 360)
    total = transferred(page)
    pictures_on_page = page.locator("main picture img").count()
    assert pictures_on_page >= 2
    # The phone is handed the 480-pixel copies, not the 1,500-pixel ones.
    for index in range(pictures_on_page):
        assert "-480." in page.locator("main picture img").nth(index).evaluate("img => img.currentSrc") or \
               "-300." in page.locator("main picture img").nth(index).evaluate("img => img.currentSrc")
    print(f"home page at 360 px: {total} bytes transferred with {pictures_on_page} pictures")
    assert total < 200 * 1024, f"the home page transferred {total} bytes"
    context.close()


@pytest.mark.parametrize("name,path", PAGES)
def test_no_page_scrolls_sideways_on_a_phone_and_axe_finds_nothing_serious(browser, pictures, name, path):
    page, context = measured(browser, pictures, path, 360)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow} px wider than the phone"
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{path}: " + "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    screenshot(page, name + "-light")
    context.close()


@pytest.mark.parametrize("path", ["/news/parents-rally-at-tweed", "/documents/rally-at-tweed", "/data/college-ready-by-neighborhood"])
def test_posts_documents_and_data_print_without_menus_or_forms(browser, pictures, path):
    page, context = measured(browser, pictures, path, 1440)
    page.emulate_media(media="print")
    for hidden in [".site-nav", ".site-search", ".site-footer", ".language-switcher"]:
        assert page.evaluate(f"getComputedStyle(document.querySelector('{hidden}')).display") == "none", f"{path}: {hidden}"
    assert page.locator("h1").is_visible()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    context.close()


@pytest.mark.parametrize("name,path", PAGES)
def test_the_dark_scheme_reads_as_well_as_the_light(browser, pictures, name, path):
    page, context = measured(browser, pictures, path, 1440, scheme="dark")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(22, 22, 26)", f"{path}: {background}"
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{path} (dark): " + "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    screenshot(page, name + "-dark")
    context.close()


def test_the_staff_dashboard_reads_on_a_phone_and_in_both_schemes(browser, pictures):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, pictures, "admin")
    assert page.locator("h1").count() == 1
    assert page.locator(".dashboard-panel").count() >= 3
    assert page.locator("svg.sparkline[role=img]").count() >= 1
    for scheme in ["light", "dark"]:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size({"width": 1440, "height": 900})
        results = AXE.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"dashboard ({scheme}): " + "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in bad)
        page.set_viewport_size({"width": 360, "height": 800})
        # The site's name runs across the staff header, not one word per line down a narrow column.
        lines = page.evaluate("""() => {
            const name = document.querySelector('.staff-header .site-name span');
            return name.getBoundingClientRect().height / parseFloat(getComputedStyle(name).lineHeight);
        }""")
        assert lines <= 2.1, f"the site's name takes {lines:.1f} lines"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the dashboard is {overflow} px wider than the phone"
        screenshot(page, f"staff-dashboard-{scheme}")
    # Wide staff tables scroll inside their frame; the page itself never scrolls sideways.
    page.emulate_media(color_scheme="light")
    for path in ["/admin/posts", "/admin/supporters", "/admin/audit"]:
        page.goto(pictures + path)
        page.set_viewport_size({"width": 360, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than the phone"
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("form.logout button")
    context.close()
