"""End to end in a real browser: the example site, served locally, driven in headless Chromium.

Checks what a person does: search for a stakeholder and land on their account, follow a
parent->subsidiary link and a person link, see the stakeholder map and the charts; and that
the site asks nothing of any host but its own server and logs no console errors.
"""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import json
import math
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .gitrepo import example_history
from .hostile import hostile_repo
from .sitebuild import PROJECT, build, site_repo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT / "test-artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    repo = tmp_path_factory.mktemp("browser") / "repo"
    shutil.copytree(PROJECT, repo, ignore=shutil.ignore_patterns(".venv", "site", "tests", ".git", "test-artifacts",
                                                                 "*.egg-info", "__pycache__", "benchmarks"))
    example_history(repo)  # ends at the example's files: every other figure is as before
    result = build(repo)
    assert result.exit_code == 0, result.output
    yield from _serve(repo / "site")


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


ENGINES = ["mkdocs", "zensical"]


def _engine(name: str) -> str:
    if name != "mkdocs":
        pytest.importorskip(name, reason=f"the {name} build needs {name} installed (pip install -e '.[test]')")
    return name


@pytest.fixture(scope="module", params=ENGINES)
def hostile_site(request, tmp_path_factory):
    """A payload in every field, unsafe links included: the validation rule that would refuse
    them is set aside, so the page layer's own defence is what the browser meets. Built by each
    engine: Zensical runs no hook and no plugin, only the tree."""
    import account_playbooks.validate as validate_stage
    from account_playbooks.validate import links

    engine = _engine(request.param)
    target = tmp_path_factory.mktemp(f"hostile-browser-{engine}")
    repo = site_repo(hostile_repo(target, links=True, outside=True), target / "site-repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate_stage, "FILE_RULES", tuple(
            r for r in validate_stage.FILE_RULES if r not in (links.unsafe_links, links.outside_images)))
        result = build(repo, "2026-11-24", "--engine", engine)
    assert result.exit_code == 0, result.output
    return repo / "site"


@pytest.fixture(scope="module", params=ENGINES)
def engine_server(request, tmp_path_factory):
    engine = _engine(request.param)
    repo = site_repo(PROJECT, tmp_path_factory.mktemp(f"search-{engine}") / "repo")
    result = build(repo, "2026-11-24", "--engine", engine)
    assert result.exit_code == 0, result.output
    yield from _serve(repo / "site")


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Debian's chromium is required (make test installs it: scripts/ensure-browser)"
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    hosts = {urlsplit(url).netloc for url in page.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {urlsplit(server).netloc}, f"requests left the local server: {hosts}"
    assert page.errors == []
    context.close()


def _search(page, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    # The search worker indexes in the background; a query typed before it is ready is
    # dropped, as it would be for a person typing very fast. Type again until it answers.
    for _ in range(20):
        box.fill("")
        box.press_sequentially(query)
        page.wait_for_timeout(300)
        if "matching" in page.locator(".md-search-result__meta").inner_text():
            return


# Material's results, and Zensical's search dialog (its own markup, reached through the shadow DOM).
_RESULT_LINKS = ":is(.md-search-result, dialog) a[href]"


def _search_links(page, query: str):
    """The engine's own search: `query` typed into its box (Zensical opens a dialog from a button
    first); the result links once there are some."""
    button = page.locator("button.md-search__button")
    if button.count() and button.first.is_visible():
        button.first.click()
    box = page.get_by_placeholder("Search").filter(visible=True).first
    box.click()
    links = page.locator(_RESULT_LINKS).filter(visible=True)
    for _ in range(20):  # typed again until the index, loaded in the background, answers (as in _search)
        box.fill("")
        box.press_sequentially(query)
        page.wait_for_timeout(300)
        if links.count():
            break
    return links


def test_each_engines_search_finds_an_account_page(browser, engine_server):
    """A word only an account page has, typed into the engine's own search box: a result links to
    that page and opens it; nothing asked of any other host, no script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(engine_server + "/")
    results = _search_links(page, "Okoro")
    result = results.filter(has_text="Helen Okoro").first
    assert "/accounts/kan-code/stakeholders/" in (result.get_attribute("href") or ""), results.all_inner_texts()
    result.click()
    page.wait_for_url("**/accounts/kan-code/stakeholders/**")
    assert page.locator("h2#helen-okoro").is_visible()
    assert errors == []
    assert {urlsplit(url).netloc for url in requests if urlsplit(url).scheme.startswith("http")} == {
        urlsplit(engine_server).netloc}
    context.close()


def test_search_finds_a_stakeholder_and_reaches_their_account(page, server):
    page.goto(server + "/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    _search(page, "Helen Okoro")
    result = page.locator("a.md-search-result__link[href*=\"#helen-okoro\"]:visible").first
    result.wait_for(timeout=10_000)
    result.click()
    page.wait_for_url("**/accounts/kan-code/stakeholders/**")
    assert page.locator("h2#helen-okoro").is_visible()


def test_parent_to_subsidiary_and_person_links(page, server):
    page.goto(server + "/accounts/acme-corporation/")
    page.screenshot(path=str(ARTIFACTS / "account.png"), full_page=True)
    page.get_by_role("link", name="Codehow").first.click()
    page.wait_for_url("**/accounts/codehow/")
    assert page.locator("h1").inner_text().startswith("Codehow")
    assert page.get_by_role("link", name="Acme Corporation").first.is_visible()
    page.get_by_role("link", name="Darcel Schlecht").first.click()
    page.wait_for_url("**/people/darcel-schlecht/")
    assert "My accounts" in page.content()


def test_stakeholder_map_and_charts_are_drawn(page, server):
    page.goto(server + "/accounts/kan-code/stakeholders/")
    nodes = page.locator("svg.kam-map g.node")
    assert nodes.count() == 6
    box = nodes.first.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 20
    page.goto(server + "/")
    charts = page.locator("svg.kam-chart")
    assert charts.count() >= 4
    assert page.locator("svg.kam-chart path.dot:has(title)").count() == 12  # one point per account
    page.goto(server + "/accounts/kan-code/")
    assert page.locator("svg.kam-chart rect.bar").count() == 4  # one bar per criterion
    history = page.locator("svg.kam-history")
    assert history.locator("circle.dot").count() == 1 + 4  # the legend's dot and four edits
    assert history.locator("path.criteria-mark").count() == 1 + 2  # the legend's and two criteria changes
    assert history.locator("rect.band").count() == 3  # one band per tier
    assert "Platinum since 2026-08-18" in page.locator("article").inner_text()


def test_portfolio_table_sorts_on_click(page, server):
    page.goto(server + "/accounts/")
    header = page.locator(".kam-sortable th", has_text="Revenue")
    header.click()
    first = page.locator(".kam-sortable tbody tr").first.locator("td").nth(4).inner_text()
    header.click()
    last_first = page.locator(".kam-sortable tbody tr").first.locator("td").nth(4).inner_text()
    assert first != last_first


def test_tier_sorts_by_rank_and_never_reviewed_comes_first(page, server):
    page.goto(server + "/accounts/")
    tiers = lambda: page.locator(".kam-sortable tbody tr td:nth-child(2)").all_inner_texts()  # noqa: E731
    page.locator(".kam-sortable th", has_text="Tier").click()
    ranked = tiers()
    order = ["Platinum", "Gold", "Silver", "Standard"]
    assert ranked == sorted(ranked, key=order.index) and ranked[0] == "Platinum"  # not the alphabet
    headers = page.locator(".kam-sortable thead th").all_inner_texts()
    column = headers.index("Last review") + 1
    page.locator(".kam-sortable th", has_text="Last review").click()
    assert page.locator(f".kam-sortable tbody tr td:nth-child({column})").first.inner_text() == "never"


def test_what_needs_attention_is_in_the_first_viewport(page, server):
    """The morning view: the counts line and the first rows in one screen; each count filters."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server + "/")
    counts = page.locator(".kam-counts")
    assert counts.bounding_box()["y"] < 900
    assert "promotion candidate" in counts.inner_text() and "account at risk" in counts.inner_text()
    attention = page.locator(".kam-attention table")
    first_item = attention.locator("tbody tr").first.bounding_box()
    assert first_item["y"] + first_item["height"] <= 900
    page.locator(".kam-count[data-kind=at_risk]").click()
    visible = attention.locator("tbody tr:visible")
    assert visible.count() == 1 and "At risk" in visible.first.inner_text()
    assert page.locator(".kam-count[data-kind=at_risk]").get_attribute("aria-pressed") == "true"


def test_mine_is_remembered_across_a_reload(page, server):
    page.goto(server + "/")
    me = page.locator(".kam-morning select[aria-label='I am']")
    who = me.locator("option").nth(1).get_attribute("value")
    me.select_option(who)
    page.locator(".kam-morning input[type=checkbox]").check()
    rows = page.locator(".kam-attention tbody tr:visible")
    mine = rows.count()
    assert mine >= 1
    for i in range(mine):
        row = rows.nth(i)
        assert who in (row.get_attribute("data-who"), row.get_attribute("data-kam"))
    page.reload()
    assert page.locator(".kam-morning select[aria-label='I am']").input_value() == who
    assert page.locator(".kam-morning input[type=checkbox]").is_checked()
    assert page.locator(".kam-attention tbody tr:visible").count() == mine


_TABLES_FIT = """() => {
  // Not clipped: the table's scroll box needs no scrolling, and the table ends inside the content area.
  const content = document.querySelector(".md-content").getBoundingClientRect();
  return [...document.querySelectorAll("article table")].filter((t) => {
    const box = t.closest(".md-typeset__scrollwrap") || t.parentElement;
    return box.scrollWidth > box.clientWidth + 1 || t.getBoundingClientRect().right > content.right + 1;
  }).map((t) => t.querySelector("th") ? t.querySelector("th").textContent : "?");
}"""


@pytest.mark.parametrize("path", ["", "accounts/", "accounts/kan-code/", "accounts/kan-code/stakeholders/",
                                  "accounts/kan-code/reviews/", "analytics/", "criteria/", "people/reed-clapper/",
                                  "changes/", "footprint/"])
def test_no_table_is_wider_than_its_column_at_desktop_width(page, server, path):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/{path}")
    assert page.evaluate(_TABLES_FIT) == []


def test_screenshots_at_desktop_and_phone_width(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in [("home", ""), ("account", "accounts/kan-code/"), ("account-newex", "accounts/newex/"),
                           ("stakeholders", "accounts/kan-code/stakeholders/"), ("person", "people/reed-clapper/"),
                           ("pack", "accounts/kan-code/pack/"), ("brief", "accounts/kan-code/brief/"),
                           ("changes", "changes/"),
                           ("reviews", "accounts/kan-code/reviews/"), ("goals", "accounts/hottechi/goals/"),
                           ("accounts", "accounts/"), ("analytics", "analytics/")]:
            page.goto(f"{server}/{path}")
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            if width == 390:  # on a phone nothing is silently cut: wide tables scroll inside their own box
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def test_the_footprint_page_filters_by_owner_and_region_and_its_matrix_scrolls_on_a_phone(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server}/footprint/")
        page.screenshot(path=str(ARTIFACTS / f"footprint-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        # The matrix is never cut off: it sits in the theme's scroll box, which scrolls sideways.
        assert page.evaluate("""() => [...document.querySelectorAll(".kam-footprint table")].every((t) =>
            t.closest(".md-typeset__scrollwrap") && t.getBoundingClientRect().left >= 0)""")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/footprint/")
    opportunities = page.locator(".kam-filterable").first.locator("tbody tr:visible")
    everyone = opportunities.count()
    page.locator("select[aria-label='Filter by Region']").first.select_option(label="EMEA")
    assert 0 < opportunities.count() < everyone
    assert all(text.rstrip().endswith("EMEA") for text in opportunities.all_inner_texts())
    spend = [float(v) for v in page.locator(".kam-filterable").first.locator(
        "tbody tr td:nth-child(4)").evaluate_all("(cells) => cells.map((c) => c.dataset.sort)")]
    assert spend == sorted(spend, reverse=True)  # the largest white space first
    matrix = page.locator(".kam-footprint tbody tr:visible")
    rows = matrix.count()
    page.locator(".kam-footprint select[aria-label='Filter by KAM']").select_option(label="Reed Clapper")
    assert matrix.count() == 1 < rows and "Kan-code" in matrix.first.inner_text()


_POKE_EVERYTHING = """() => document.querySelectorAll("article *").forEach((el) => {
  for (const type of ["mouseover", "mouseenter", "focus", "toggle", "load", "error"]) {
    el.dispatchEvent(new Event(type, {bubbles: true}));
  }
})"""


def test_no_dialog_opens_on_any_page_with_hostile_account_text(browser, hostile_site):
    """Every page of the hostile site, its handlers poked: no dialog, no script error (an
    authored id that took `__config` breaks every script on the page), no request that leaves
    the local server (an outside image is a tracking pixel)."""
    dialogs: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    server = _serve(hostile_site)
    base = next(server)
    pages = sorted(p.relative_to(hostile_site).parent.as_posix() for p in hostile_site.rglob("index.html")
                   if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))  # a review's old address
    assert len(pages) > 40
    for path in pages:
        page.goto(f"{base}/{'' if path == '.' else path + '/'}", wait_until="load")
        page.evaluate(_POKE_EVERYTHING)  # mouse-over, focus and toggle handlers would fire here
    page.goto(base + "/")
    results = _search_links(page, "onclick")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile-search-{hostile_site.parent.parent.name}.png"))
    assert results.count() > 0
    page.wait_for_timeout(300)
    assert dialogs == []
    assert errors == []
    local = urlsplit(base).netloc
    assert [url for url in requests if urlsplit(url).netloc != local] == []
    context.close()
    next(server, None)


def test_a_filter_narrows_the_accounts_table(page, server):
    page.goto(server + "/accounts/")
    rows = page.locator(".kam-filterable tbody tr:visible")
    everyone = rows.count()
    page.select_option("select[aria-label='Filter by KAM']", label="Reed Clapper")
    assert rows.count() == 1 and "Kan-code" in rows.first.inner_text()
    page.select_option("select[aria-label='Filter by KAM']", value="")
    page.select_option("select[aria-label='Filter by Tier']", label="Standard")
    assert 1 < rows.count() < everyone
    assert all("Standard" in text for text in rows.all_inner_texts())


_MAP_TEXT_PX = """() => [...document.querySelectorAll("svg.kam-map text")].map((t) => t.getBoundingClientRect().height)"""


@pytest.mark.parametrize("width, smallest", [(1400, 12), (390, 11)])
def test_stakeholder_map_text_is_legible(page, server, width, smallest):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + "/accounts/kan-code/stakeholders/")
    # A text box is about 1.15 times its font size; 12 px type gives boxes of at least 13 px.
    heights = page.evaluate(_MAP_TEXT_PX)
    assert heights and min(heights) >= smallest * 1.1, min(heights)


@pytest.mark.parametrize("width", [1400, 390])
def test_score_history_labels_are_legible_and_scroll_on_a_phone(page, server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + "/accounts/kan-code/")
    heights = page.evaluate(_MAP_TEXT_PX.replace("kam-map", "kam-history"))
    assert heights and min(heights) >= 12 * 1.1, min(heights)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # the chart's box scrolls


# The type size as drawn: the font size in the chart's units times the chart's scale on screen
# (a rotated axis label included).
_CHART_TEXT_PX = """() => [...document.querySelectorAll("svg.kam-chart:not(.kam-map) text")]
  .filter((t) => t.getBoundingClientRect().height > 0)  // drawn, not in a closed tab or fold
  .map((t) => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b))"""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("path", ["", "accounts/kan-code/", "analytics/"])
def test_chart_labels_stay_legible_and_a_phone_scrolls_the_chart_not_the_page(page, server, width, path):
    """A chart shrinks with the column only so far: below that its labels were 7 px on a phone."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{path}")
    sizes = page.evaluate(_CHART_TEXT_PX)
    assert sizes and min(sizes) >= 10.95, min(sizes)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_column_of_sentences_keeps_a_readable_width_on_a_phone(page, server):
    """Squeezed into a scrolling table, the score's reasons were a word per line and each row
    taller than the screen; they keep about 40 characters a line and the table scrolls sideways instead."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(server + "/accounts/kan-code/")
    widths = page.evaluate("""() => [...document.querySelectorAll("td.kam-prose")].map((td) => td.getBoundingClientRect().width)""")
    assert widths and min(widths) >= 200, widths
    rows = page.evaluate("""() => [...document.querySelectorAll("td.kam-prose")].map((td) => td.getBoundingClientRect().height)""")
    assert max(rows) < 120, rows
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_account_pack_prints_on_one_to_three_a4_pages(page, server):
    page.goto(server + "/accounts/kan-code/pack/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pack.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3, pages


_SMALLEST_BRIEF_TEXT = """() => Math.min(...[...document.querySelectorAll(".kb *")]
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((el) => parseFloat(getComputedStyle(el).fontSize)))"""
_BRIEF_CLIPPED = """() => [...document.querySelectorAll(".kb, .kb table, .kb td, .kb th")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className || el.tagName)"""


def test_every_brief_prints_on_one_a4_page_at_9pt_or_more_with_nothing_clipped(page, server):
    import pypdf

    accounts = sorted(p.name for p in (PROJECT / "accounts").iterdir() if (p / "account.yml").is_file())
    for account in accounts:
        page.goto(f"{server}/accounts/{account}/brief/")
        page.emulate_media(media="print")
        assert page.evaluate(_SMALLEST_BRIEF_TEXT) >= 12, account  # 9pt is 12 CSS pixels
        assert page.evaluate(_BRIEF_CLIPPED) == [], account
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
        assert len(pdf.pages) == 1, account
        assert [round(float(v)) for v in pdf.pages[0].mediabox[2:]] == [595, 842], account  # A4, from the stylesheet


def test_no_html_entity_is_visible_as_text(page, server):
    for path in ["", "accounts/", "accounts/kan-code/", "accounts/kan-code/goals/", "accounts/kan-code/stakeholders/",
                 "criteria/", "analytics/", "people/reed-clapper/", "accounts/kan-code/pack/"]:
        page.goto(f"{server}/{path}")
        visible = page.locator("article").inner_text()
        assert not re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", visible), (path, visible[:200])


# -- What the pages show (issue 21): each measured here, at desktop and phone width. --

def _at(page, server, width: int, path: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{path}")


_PANELS = """() => {
  // Per KPI: how much of its panel its line spans, its latest-value label and that label's change colour.
  const svg = document.querySelector("svg.kam-trend");
  const out = {};
  for (const dot of svg.querySelectorAll("circle.dot")) {
    const name = dot.querySelector("title").textContent.split(" 20")[0];
    (out[name] = out[name] || {ys: []}).ys.push(parseFloat(dot.getAttribute("cy")));
  }
  const panels = Object.keys(out).length, height = (svg.viewBox.baseVal.height - 22) / panels;
  [...svg.querySelectorAll("text.latest")].forEach((label, i) => {
    const name = Object.keys(out)[i], change = label.querySelector("tspan");
    out[name].span = (Math.max(...out[name].ys) - Math.min(...out[name].ys)) / height;
    out[name].latest = label.textContent;
    out[name].colour = getComputedStyle(change).fill;
  });
  return out;
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_each_kpi_panel_spans_its_own_range_and_says_its_change(page, server, width):
    """Newex's NPS halved (18 to 9): on a shared -100..100 axis the line was flat."""
    _at(page, server, width, "accounts/newex/")
    panels = page.evaluate(_PANELS)
    assert set(panels) == {"Satisfaction", "Revenue", "Retention %", "NPS"}
    assert all(p["span"] >= 0.5 for p in panels.values()), {k: p["span"] for k, p in panels.items()}
    assert panels["NPS"]["latest"] == "9▼ −9"  # the arrow and the sign are text; the colour repeats them
    red, green, blue = (int(c) for c in re.findall(r"\d+", panels["NPS"]["colour"])[:3])
    assert red > 2 * max(green, blue)
    summary = page.locator("article ul", has_text="since the review before").inner_text()
    assert all(f"{name}:" in summary for name in panels) and "NPS: 9 ▼ −9 since the review before" in summary


def test_goal_bars_take_their_status_colour_and_percentages_read_from_to(page, server):
    page.goto(server + "/accounts/hottechi/goals/")
    fills = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll("svg.kam-progress rect.fill")]
      .map((r) => [r.getAttribute("class").split("kam-goal-")[1], getComputedStyle(r).fill]))""")
    assert set(fills) == {"done", "in_progress", "at_risk", "planned"}
    assert len(set(fills.values())) == 4, fills  # not one green for every status
    page.goto(server + "/accounts/kan-code/goals/")
    assert "Engineering sites on MG Advanced: 35% → 90%" in page.locator("article").inner_text()


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(int(c) / 255 for c in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# How people with each kind of colour blindness see a colour (Machado, Oliveira and Fernandes 2009,
# severity 1), on linear RGB; the distance between two colours is then measured in CIELAB.
_CVD = {"protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
        "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
        "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900))}


def _lab(rgb, matrix) -> tuple[float, float, float]:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    r, g, b = (min(max(sum(m * c for m, c in zip(row, linear)), 0), 1) for row in matrix)
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_colour_blind_check_tells_the_old_slate_greys_apart_from_distinct_hues():
    old_platinum, old_silver = _rgb("91,107,140"), _rgb("125,135,145")  # #5b6b8c and #7d8791, before
    assert min(math.dist(_lab(old_platinum, m), _lab(old_silver, m)) for m in _CVD.values()) < 20
    assert min(math.dist(_lab(_rgb("0,114,178"), m), _lab(_rgb("230,159,0"), m)) for m in _CVD.values()) > 20


_BADGES = """() => [...document.querySelectorAll("article .kam-badge")].map((b) => {
  const style = getComputedStyle(b);
  return {tier: [...b.classList].find((c) => c.startsWith("kam-tier-")), size: parseFloat(style.fontSize),
          text: style.color, background: style.backgroundColor};
})"""


@pytest.mark.parametrize("width", [1400, 390])
def test_tier_badges_are_legible_and_their_hues_differ_for_colour_blind_readers(page, server, width):
    _at(page, server, width, "accounts/")
    badges = page.evaluate(_BADGES)
    assert {b["tier"] for b in badges} >= {"kam-tier-platinum", "kam-tier-gold", "kam-tier-silver", "kam-tier-standard"}
    assert min(b["size"] for b in badges) >= 12
    assert min(_contrast(_rgb(b["text"]), _rgb(b["background"])) for b in badges) >= 4.5
    hues = {b["tier"]: _rgb(b["background"]) for b in badges}
    for (one, a), (other, b) in itertools.combinations(hues.items(), 2):
        for kind, matrix in _CVD.items():
            assert math.dist(_lab(a, matrix), _lab(b, matrix)) >= 20, (one, other, kind)


def test_the_scatter_gives_each_tier_its_own_marker_shape_and_a_key(page, server):
    page.goto(server + "/")
    shapes = page.evaluate("""() => {
      const scatter = [...document.querySelectorAll("svg.kam-chart")].find((s) => s.querySelector("title")
        .textContent.startsWith("Weighted score against"));
      const out = {};
      for (const dot of scatter.querySelectorAll("path.dot:has(title)")) {
        const tier = [...dot.classList].find((c) => c.startsWith("tier-"));
        // the outline after the move to the centre: its commands tell the shapes apart
        (out[tier] = out[tier] || new Set()).add(dot.getAttribute("d").split(" m")[1].replace(/[-\\d.,]/g, ""));
      }
      return [Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]])), scatter.textContent];
    }""")
    outlines, text = shapes
    assert all(len(v) == 1 for v in outlines.values()) and len({v[0] for v in outlines.values()}) == len(outlines) == 4
    assert all(name in text for name in ("Platinum", "Gold", "Silver", "Standard"))


def test_links_in_text_are_underlined(page, server):
    page.goto(server + "/accounts/kan-code/")
    decorations = page.evaluate("""() => [...document.querySelectorAll("article :is(p, li, td) > a:not(.kam-tabs a)")]
      .map((a) => getComputedStyle(a).textDecorationLine)""")
    assert decorations and all("underline" in d for d in decorations), set(decorations)


_CARD_CELLS = """(labels) => [...document.querySelectorAll(".kam-cards td")]
  .filter((td) => labels.includes(td.dataset.label) && td.textContent.trim())
  .map((td) => [td.dataset.label, td.getBoundingClientRect().left, td.getBoundingClientRect().right,
                getComputedStyle(td, "::before").content])"""


@pytest.mark.parametrize("path, labels", [("", ["Watch", "Health"]), ("accounts/kan-code/reviews/", ["Due", "Status"]),
                                          ("accounts/kan-code/", ["Why"]), ("accounts/kan-code/stakeholders/", ["Last contact"]),
                                          ("people/reed-clapper/", ["Next review"])])
def test_key_tables_are_stacked_cards_on_a_phone(page, server, path, labels):
    """The column that matters was the one scrolled away: on a phone every cell is in view, labelled."""
    _at(page, server, 390, path)
    cells = page.evaluate(_CARD_CELLS, labels)
    assert {label for label, *_ in cells} == set(labels), cells
    assert all(left >= 0 and right <= 390 for _, left, right, _ in cells), cells
    assert all(before == f'"{label}: "' for label, _, _, before in cells)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("path, title", [("accounts/kan-code/", "KPI trend across reviews"),
                                         ("accounts/kan-code/", "Weighted score over time"),
                                         ("", "Weighted score against annual revenue (USD)")])
def test_a_chart_that_scrolls_on_a_phone_opens_on_its_latest_point(page, server, path, title):
    _at(page, server, 390, path)
    chart = page.locator(f"span.kam-chart-wrap:has(svg > title:text-is('{title}'))")
    scroll = chart.evaluate("(wrap) => [wrap.scrollLeft, wrap.clientWidth, wrap.scrollWidth]")
    assert scroll[2] > scroll[1] and scroll[0] + scroll[1] >= scroll[2] - 1, scroll
    assert chart.get_attribute("tabindex") == "0"  # and it scrolls from the keyboard


def test_the_stakeholder_map_opens_on_the_top_of_its_tree_on_a_phone(page, server):
    _at(page, server, 390, "accounts/kan-code/stakeholders/")
    box = page.locator("svg.kam-map g.node.root").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_sortable_headers_answer_to_the_keyboard(page, server):
    page.goto(server + "/accounts/")
    button = page.get_by_role("button", name="Revenue")
    header = page.locator(".kam-sortable th", has=button)
    assert header.get_attribute("aria-sort") == "none"
    first = lambda: page.locator(".kam-sortable tbody tr").first.locator("td").nth(4).inner_text()  # noqa: E731
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    lowest = first()
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending" and first() != lowest


def test_the_stakeholder_map_is_a_list_of_labelled_links(page, server):
    page.goto(server + "/accounts/kan-code/stakeholders/")
    people = page.get_by_role("list", name=re.compile("Stakeholder map of Kan-code")).get_by_role("listitem")
    assert people.count() == 6
    helen = people.get_by_role("link", name=re.compile(r"^Helen Okoro Chief Technology Officer .*sentiment: \w+"))
    assert helen.count() == 1 and helen.get_attribute("href") == "#helen-okoro"
    levels = page.evaluate("""() => [...document.querySelectorAll("article :is(h1, h2, h3, h4)")].map((h) => +h.tagName[1])""")
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels  # no jump from h1 to h3


def test_every_table_heading_has_text(page, server):
    for path in ["", "people/vicki-laflamme/", "accounts/"]:
        page.goto(f"{server}/{path}")
        assert page.locator("article th").count() > 0
        assert page.evaluate("""() => [...document.querySelectorAll("article th")].every((th) => th.textContent.trim())""")


# -- axe-core: installed from the npm registry into test-artifacts/ (never into the repository). --

AXE_VERSION = "4.14.1"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    target = ARTIFACTS / "axe"
    script = target / "node_modules" / "axe-core" / "axe.min.js"
    installed = target / "node_modules" / "axe-core" / "package.json"
    if not (script.exists() and json.loads(installed.read_text(encoding="utf-8"))["version"] == AXE_VERSION):
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("the accessibility check installs axe-core from the npm registry and needs npm: "
                        "install Node.js and npm (make test does it where it can: scripts/ensure-browser)")
        result = subprocess.run([npm, "install", "--prefix", str(target), "--no-audit", "--no-fund", "--silent",
                                 f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and script.exists(), f"npm could not install axe-core: {result.stderr}"
    return script


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("path", ["", "accounts/kan-code/", "accounts/kan-code/stakeholders/",
                                  "accounts/kan-code/goals/", "accounts/kan-code/reviews/", "analytics/",
                                  "people/reed-clapper/", "accounts/kan-code/brief/", "footprint/"])
def test_axe_finds_nothing_serious(page, server, axe_script, width, path):
    _at(page, server, width, path)
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.fixture(scope="module")
def joint_plan(tmp_path_factory) -> Path:
    """The example account's joint plan, as a KAM would send it."""
    from click.testing import CliRunner

    from account_playbooks.cli.commands import main

    out = tmp_path_factory.mktemp("joint-plan") / "acme-corporation"
    result = CliRunner().invoke(main, ["--root", str(PROJECT), "build", "--today", "2026-12-06", "--audience",
                                       "customer", "--account", "acme-corporation", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "index.html"


def test_the_customer_joint_plan_reads_at_desktop_and_phone_width_and_prints(browser, joint_plan):
    """Opened from the file a customer received: nothing is requested but the file, nothing is cut on a
    phone, and it prints on at most two A4 pages."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context()
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(joint_plan.as_uri())
        page.screenshot(path=str(ARTIFACTS / f"joint-plan-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        assert page.locator("h2", has_text="Our shared goals").is_visible()
        assert page.locator("td", has_text="Send scorecard data to group procurement every month").is_visible()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "joint-plan.pdf").write_bytes(pdf)
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
    assert set(requests) == {joint_plan.as_uri()} and errors == []
    context.close()
