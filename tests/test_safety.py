"""Hostile text from account files reaches the site inert: unit tests of the URL and HTML rules,
then a real build with a payload in every field that reaches a page."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

import account_playbooks.validate as validate_stage
from account_playbooks.core.urls import external_host, unsafe_scheme
from account_playbooks.scoring.check import check
from account_playbooks.site.safety import sanitize_html
from account_playbooks.validate import links

from .corpus import BASE
from .hostile import (
    LINK_PAYLOADS,
    OUTSIDE_IMAGES,
    SAFE_LINKS,
    SCRIPT_CLASSES,
    TEXT_PAYLOADS,
    THEME_IDS,
    hostile_repo,
    unsafe_markup,
)
from .sitebuild import build, site_repo, visible_text

pytestmark = pytest.mark.slow  # builds the hostile portfolio's site


def test_sanitiser_drops_what_runs_and_keeps_what_pages_are_made_of():
    dirty = ('<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)">b</a>'
             '<a href="../x/#y" title="t">c</a><img src="data:image/svg+xml,x" alt="i"></p>'
             '<svg viewBox="0 0 10 10" style="max-width:10px;background:url(javascript:x)" onload="x()">'
             '<title>T</title><rect x="1" y="2" width="3" height="4" class="bar"/>'
             '<a xlink:href="javascript:alert(1)"><text x="1" y="2" text-anchor="end">t</text></a></svg>'
             '<table><thead><tr><th style="text-align: right;">n</th></tr></thead></table>'
             '<iframe src="https://example.com"></iframe><h2 id="s">S</h2><p class="k" data-search-exclude>x</p>')
    clean = sanitize_html(dirty)
    assert "onclick" not in clean and "onload" not in clean and "<script" not in clean and "<iframe" not in clean
    assert "javascript:" not in clean and "data:image" not in clean
    assert '<a href="../x/#y" title="t">c</a>' in clean
    assert '<svg viewBox="0 0 10 10" style="max-width:10px">' in clean
    assert '<rect x="1" y="2" width="3" height="4" class="bar">' in clean
    assert '<text x="1" y="2" text-anchor="end">t</text>' in clean
    assert '<th style="text-align:right">n</th>' in clean
    assert '<h2 id="s">S</h2>' in clean and 'data-search-exclude' in clean


def test_the_payload_list_covers_the_forms_an_attacker_uses():
    everything = TEXT_PAYLOADS + LINK_PAYLOADS
    assert len(everything) >= 30
    for form in ("</title>", "onerror=", "<svg", "javascript:", "JaVaScRiPt:", "data:", "vbscript:",
                 "]: javascript:", "{{", "{:", "<a href="):
        assert any(form in p for p in everything), form


class _Titles(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.depth = 0
        self.in_head_title = False

    def handle_starttag(self, tag, attrs):
        self.in_head_title = tag == "title" and not self.title

    def handle_endtag(self, tag):
        self.in_head_title = False

    def handle_data(self, data):
        if self.in_head_title:
            self.title.append(data)


def _head_title(path) -> str:
    parser = _Titles()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.title)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    target = tmp_path_factory.mktemp("hostile")
    repo = site_repo(hostile_repo(target), target / "site-repo")
    _commit_hostile_history(repo)
    result = build(repo)
    assert result.exit_code == 0, result.output
    return repo / "site"


def _commit_hostile_history(repo):
    """Two commits, so that hostile names also reach the change logs and "What changed": a
    stakeholder's sentiment and a score move in the second."""
    from .gitrepo import git
    from .hostile import _dump, _load

    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", TEXT_PAYLOADS[1], date="2026-10-01T10:00:00Z")
    folder = sorted((repo / "accounts").iterdir())[0]
    people = _load(folder / "stakeholders.yml")
    people[0]["sentiment"] = "advocate" if people[0]["sentiment"] != "advocate" else "neutral"
    _dump(folder / "stakeholders.yml", people)
    profile = _load(folder / "account.yml")
    first = next(iter(profile["scores"]))
    profile["scores"][first]["score"] = 1 if profile["scores"][first]["score"] != 1 else 2
    _dump(folder / "account.yml", profile)
    git(repo, "commit", "-qam", TEXT_PAYLOADS[2], date="2026-11-20T10:00:00Z")


def test_hostile_names_reach_the_change_log_and_what_changed_as_text(hostile_site):
    changes = visible_text(hostile_site / "changes" / "index.html")
    assert "Score moves" in changes and "→" in changes
    account = sorted((hostile_site / "accounts").iterdir())[0]
    overview = visible_text(account / "index.html")
    assert any(f"{payload}:" in overview for payload in TEXT_PAYLOADS), "a hostile stakeholder name in the log"


def test_no_page_of_the_hostile_site_has_markup_that_runs(hostile_site):
    assert unsafe_markup(hostile_site) == []


def test_hostile_titles_read_literally_in_the_browser_tab(hostile_site):
    titles = {}
    for page in hostile_site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8").split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in raw, page  # nothing in a <title> is markup
        titles[page] = _head_title(page)
    # Were the title not escaped, the parser would end it at the payload's own </title>.
    payload = TEXT_PAYLOADS[0]
    assert any(payload in title for title in titles.values())
    assert any(TEXT_PAYLOADS[4] in title for title in titles.values())  # <svg><script>
    # A review's title is a heading of its account's reviews page: shown literally there too.
    reviews_pages = [visible_text(page) for page in hostile_site.glob("accounts/*/reviews/index.html")]
    assert any(TEXT_PAYLOADS[13] in text for text in reviews_pages)  # <math>...<script>


def test_search_index_holds_account_text_as_text(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert not re.search(r"<(script|img|svg|iframe|body|input)\b", doc[field]), (doc["location"], doc[field])


def test_unsafe_links_are_errors_at_their_position(tmp_path):
    repo = hostile_repo(tmp_path, links=True)
    validated = check(repo, dt.date(2026, 11, 24))
    found = [d for d in validated.diagnostics if d.code == "E211"]
    bodies = len(list(repo.glob("accounts/*/strategy.md"))) + len(list(repo.glob("accounts/*/reviews/*.md")))
    caught = [p for p in LINK_PAYLOADS if unsafe_scheme(_destination(p))]
    assert len(found) == bodies * len(caught)
    assert all(d.line > 1 and d.column > 1 for d in found)
    assert {d.code for d in validated.diagnostics if d.severity.value == "error"} == {"E211"}


def _destination(payload: str) -> str:
    match = re.search(r"\]\(\s*<?\s*([^\s)>]+)|^\[[^\]]+\]:\s*(\S+)", payload.split("\n")[-1])
    return (match.group(1) or match.group(2)) if match else ""


def test_links_that_validation_misses_are_removed_from_the_site(tmp_path, monkeypatch):
    """The second layer: were the E211 rule gone, the build would still publish no unsafe link."""
    monkeypatch.setattr(validate_stage, "FILE_RULES",
                        tuple(r for r in validate_stage.FILE_RULES if r is not links.unsafe_links))
    repo = site_repo(hostile_repo(tmp_path, links=True), tmp_path / "site-repo")
    result = build(repo)
    assert result.exit_code == 0, result.output
    site = repo / "site"
    assert unsafe_markup(site) == []
    plan = (site / "accounts" / "kan-code" / "plan" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.com/deck.pdf"' in plan and 'href="mailto:cto@example.com"' in plan
    assert 'href="../goals/"' in plan
    assert len(SAFE_LINKS) == 4


def test_every_payload_reads_literally_somewhere(hostile_site):
    """Inert is not enough: the reader sees exactly what the author wrote, no entity, no markup."""
    text = "\n".join(visible_text(page) for page in hostile_site.rglob("*.html"))
    missing = [p for p in TEXT_PAYLOADS if " ".join(p.split()) not in text]
    assert missing == []


def test_hostile_product_names_read_literally_on_the_footprint_and_account_pages(hostile_site):
    """Each account bought two products named by payloads (hostile.py's _bought): they show as
    written in the matrix's headings, on the white-space list and on each account's page."""
    footprint = visible_text(hostile_site / "footprint" / "index.html")
    bought = [" ".join(TEXT_PAYLOADS[i].split()) for i in range(5)]  # four accounts, a pair each
    assert [p for p in bought if p not in footprint] == []
    account = sorted(p for p in (hostile_site / "accounts").iterdir() if p.is_dir())[0]
    overview = visible_text(account / "index.html")
    assert bought[0] in overview and "White space" in overview
    assert unsafe_markup(hostile_site / "footprint") == []


class _Badges(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.badges: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif tag == "span" and "kam-badge" in (dict(attrs).get("class") or ""):
            self.depth = 1
            self.badges.append("")

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth:
            self.badges[-1] += data


def test_tier_badges_show_hostile_tier_names_as_written(hostile_site):
    import yaml

    names = {t["name"] for t in yaml.safe_load((hostile_site.parent / "criteria.yml").read_text())["tiers"]}
    parser = _Badges()
    parser.feed((hostile_site / "accounts" / "index.html").read_text(encoding="utf-8"))
    assert parser.badges and set(parser.badges) <= names | {"Standard"}


def test_the_focused_preview_page_shows_hostile_names_as_text(tmp_path):
    """`kam serve --focus` builds a page of its own listing the previewed accounts: built here
    through the plugin as serve would, it carries no markup that runs and reads literally."""
    import os

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from account_playbooks.site.build import generate

    repo = site_repo(hostile_repo(tmp_path), tmp_path / "site-repo")
    focus = frozenset(sorted(p.name for p in (repo / "accounts").iterdir() if p.is_dir())[:2])
    generated = generate(repo, dt.date(2026, 11, 24), focus=focus)
    assert [p.path for p in generated.pages if p.path == "index.md"] == ["index.md"]
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(config_file=str(repo / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    config.plugins["kam"].config.pregenerated = generated
    config.validation.links.not_found = config.validation.nav.not_found = 10  # pages left out, as in serve
    mkdocs_build(config)
    site = tmp_path / "preview"
    assert unsafe_markup(site) == []
    home = visible_text(site / "index.html")
    assert "A focused preview" in home and any(payload in home for payload in TEXT_PAYLOADS)


class _Elements(HTMLParser):
    """Every element's tag, id, name and classes, and whether it is inside the page's article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None, str | None, set[str], bool]] = []
        self.article = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "article":
            self.article += 1
        self.found.append((tag, values.get("id"), values.get("name"), set((values.get("class") or "").split()),
                           self.article > 0))
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.hrefs.append(values["href"][1:])

    def handle_endtag(self, tag):
        if tag == "article":
            self.article -= 1


def assert_theme_ids_kept(page, elements) -> None:
    """Each id the theme reads is on at most one element of `page`, and that one is the theme's (outside the article)."""
    for theme_id in THEME_IDS:
        owners = [(tag, inside) for tag, id_, name, _, inside in elements if theme_id in (id_, name)]
        assert all(not inside for _, inside in owners) and len(owners) <= 1, (page, theme_id, owners)


def _elements(page) -> _Elements:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_authored_content_never_takes_an_id_or_class_the_theme_or_our_script_reads(hostile_site):
    """Headings, fenced blocks, attribute lists, footnotes, abbreviations, definition lists,
    admonitions and raw HTML in every plan and review carry Material's ids and our script's
    classes: none of them reaches an element; the theme's own elements keep their ids."""
    pages = [p for p in hostile_site.glob("accounts/*/*/index.html")] + list(hostile_site.glob("accounts/*/reviews/index.html"))
    assert pages
    for page in pages:
        elements = _elements(page).found
        assert_theme_ids_kept(page, elements)
        assert not [e for e in elements if e[4] and (e[1] or "").startswith("__")], page
        if page.parent.name in ("plan", "reviews"):
            classes = set().union(*(e[3] for e in elements if e[4]))
            assert not classes & set(SCRIPT_CLASSES), (page, classes & set(SCRIPT_CLASSES))
    config = [tag for tag, id_, *_ in _elements(hostile_site / "accounts" / "kan-code" / "plan" / "index.html").found
              if id_ == "__config"]
    assert config == ["script"]


def test_authored_ids_are_namespaced_and_in_page_links_still_land(hostile_site):
    plan = hostile_site / "accounts" / "kan-code" / "plan" / "index.html"
    parsed = _elements(plan)
    ids = {e[1] for e in parsed.found if e[1]}
    assert {"user-content-relationships", "user-content-__config", "user-content-fn:__config"} <= ids
    assert "user-content-relationships" in parsed.hrefs  # [to a section](#relationships)
    assert [h for h in parsed.hrefs if h not in ids] == []
    text = plan.read_text(encoding="utf-8")
    toc = text.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#user-content-relationships"' in toc  # the plan's sections are in the table of contents
    assert 'href="../stakeholders/#' in text  # [[account#stakeholder]] links keep their generated anchors


def test_outside_images_are_errors_at_their_position(tmp_path):
    repo = hostile_repo(tmp_path, outside=True)
    validated = check(repo, dt.date(2026, 11, 24))
    found = [d for d in validated.diagnostics if d.code == "E220"]
    bodies = len(list(repo.glob("accounts/*/strategy.md"))) + len(list(repo.glob("accounts/*/reviews/*.md")))
    assert len(found) == bodies * len(OUTSIDE_IMAGES)
    assert {d.code for d in validated.diagnostics if d.severity.value == "error"} == {"E220"}


def test_outside_images_that_validation_misses_never_reach_a_page(tmp_path, monkeypatch):
    monkeypatch.setattr(validate_stage, "FILE_RULES",
                        tuple(r for r in validate_stage.FILE_RULES if r is not links.outside_images))
    repo = site_repo(hostile_repo(tmp_path, outside=True), tmp_path / "site-repo")
    result = build(repo)
    assert result.exit_code == 0, result.output
    sources = [src for page in (repo / "site").rglob("*.html")
               for src in re.findall(r'<img[^>]*\ssrc="([^"]*)"', page.read_text(encoding="utf-8"))]
    assert [s for s in sources if external_host(s)] == []


HOSTILE_PLAYBOOK = """# Playbook page {: onclick="alert(1)" }

<script>alert(1)</script>

Text <img src=x onerror=alert(1)> and <iframe src="javascript:alert(1)"></iframe>.

<div markdown="1"><a href="javascript:alert(1)">x</a></div>

[deck](javascript:alert(1)) and a paragraph with attributes.
{: onmouseover="alert(1)" }
"""


def test_raw_html_in_the_playbook_that_validation_misses_reaches_the_site_as_text(tmp_path, monkeypatch):
    """The second layer for the playbook: were the E217 rule gone, no raw HTML, event handler or
    unsafe link from a playbook page would run; the reader sees the markup as written."""
    from account_playbooks.validate import playbook

    monkeypatch.setattr(validate_stage, "FILE_RULES",
                        tuple(r for r in validate_stage.FILE_RULES if r is not playbook.playbook_html))
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "playbook" / "hostile.md").write_text(HOSTILE_PLAYBOOK, encoding="utf-8")
    (repo / "playbook" / "hostile-macros.md").write_text(
        "---\nrender_macros: true\n---\n# Macros\n\n{{ '<img src=x onerror=alert(1)>' }} {{ tier_counts() }}\n",
        encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 0, result.output
    site = repo / "site"
    assert unsafe_markup(site) == []
    page = visible_text(site / "playbook" / "hostile" / "index.html")
    assert "<script>alert(1)</script>" in page and "<img src=x onerror=alert(1)>" in page
    macros = visible_text(site / "playbook" / "hostile-macros" / "index.html")
    assert "<img src=x onerror=alert(1)> Right now the portfolio has" in macros


def test_a_playbook_page_the_repository_does_not_trust_takes_no_id_the_theme_reads(tmp_path):
    """Attribute lists on paragraphs, headings and fences, and headings named like the theme's
    ids: with playbook_html off, none gives an element of the page such an id."""
    repo = site_repo(BASE, tmp_path / "repo")
    carriers = "\n\n".join(["# Clobber", *(f"## {name}" for name in THEME_IDS), "A paragraph.\n{: #__config }",
                            "### Heading {#__search}", "```{ #__drawer .kam-sortable }\n{}\n```",
                            "```json { #__toc }\n{}\n```", "[back](#relationships)"])
    (repo / "playbook" / "clobber.md").write_text(carriers + "\n", encoding="utf-8")
    result = build(repo)
    assert result.exit_code == 0, result.output
    elements = _elements(repo / "site" / "playbook" / "clobber" / "index.html").found
    assert [e for e in elements if e[4] and ((e[1] or "").startswith("__") or e[2])] == []
    assert [tag for tag, id_, *_ in elements if id_ == "__config"] == ["script"]
    assert {"user-content-__config", "user-content-__search"} <= {e[1] for e in elements}
    assert not [e for e in elements if e[4] and "kam-sortable" in e[3]]
