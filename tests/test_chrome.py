"""The theme's navigation and header rendered once for the pages that see the same ones: the site is
the same byte for byte as when every page renders its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment
from mkdocs.utils import get_theme_dir

from account_playbooks.site import chrome

from .corpus import BASE
from .hostile import hostile_repo
from .sitebuild import build, site_repo

pytestmark = pytest.mark.slow  # builds the site twice with mkdocs


def _tree(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip records when it was written


def _portfolio(kind: str, tmp_path):
    if kind == "example":
        return site_repo(BASE, tmp_path / "repo")
    if kind == "generated":
        from benchmarks.synth import write_portfolio

        return site_repo(write_portfolio(tmp_path / "generated", 30), tmp_path / "repo")
    return site_repo(hostile_repo(tmp_path / "hostile"), tmp_path / "repo")


def _same_with_and_without_the_cache(repo, monkeypatch) -> dict[str, bytes]:
    assert build(repo).exit_code == 0
    cached = _tree(repo / "site")
    with monkeypatch.context() as patch:
        patch.setattr(chrome, "install", lambda env: None)  # every page renders the theme's partials
        assert build(repo).exit_code == 0
    assert _tree(repo / "site") == cached
    return cached


@pytest.mark.parametrize("kind", ["example", "generated", "hostile"])
def test_a_site_with_the_chrome_rendered_once_is_the_same_byte_for_byte(kind, tmp_path, monkeypatch):
    repo = _portfolio(kind, tmp_path)
    keys: list = []  # (the key as computed, the key from every URL) of each page
    includes: list[str] = []  # each partial rendered by the theme's template
    fast, include, keep = chrome.Keys.__call__, chrome.Chrome._include, chrome.Chrome.keep_config

    def checked(self, page):
        keys.append((key := fast(self, page), chrome.nav_key(page, self.nav, self.config)))
        return key

    def counted(self, context, name, **changed):
        includes.append(name)
        return include(self, context, name, **changed)

    def kept(self, key, html):
        includes.append("config")
        return keep(self, key, html)

    monkeypatch.setattr(chrome.Keys, "__call__", checked)
    monkeypatch.setattr(chrome.Chrome, "keep_config", kept)
    monkeypatch.setattr(chrome.Chrome, "_include", counted)
    site = _same_with_and_without_the_cache(repo, monkeypatch)
    assert keys and all(key == full for key, full in keys)  # the few URLs that determine the key do
    pages = sum(1 for key, _ in keys) // len(chrome.PARTIALS)
    shared = [key for key, _ in keys if key is not None]
    assert None in [key for key, _ in keys] and len(shared) > 2 * len(set(shared))
    for name in (*chrome.PARTIALS, "config"):  # each rendered once per key, not once per page
        assert 0 < includes.count(name) < pages / 2, name
    if kind == "hostile":  # the hostile titles (HTML text: markup already escaped) reached the shared headers
        topics = [re.search(rb'header-topic">\s*<span class="md-ellipsis">(.*?)</span>', html, re.S)
                  for name, html in site.items() if name.startswith("accounts/") and name.endswith(".html")]
        written = b"".join(topic.group(1) for topic in topics if topic)
        assert b"&lt;" in written and b'"' in written


_THEME = Path(get_theme_dir("material"))
# A repository's own template (custom_dir) that writes something of the page, and what it writes in accounts/codehow/goals/.
OVERRIDES = {
    "partials/header.html": ('<header class="md-header">{{ page.title }} {{ page.url | upper }}\n'
                             '{% include "partials/source.html" %}</header>', "ACCOUNTS/CODEHOW/GOALS/"),
    "partials/source.html": ("<a class='own'>{{ page.url }}</a>", "<a class='own'>accounts/codehow/goals/"),
    "partials/nav.html": ("<nav class='own'>{% for item in nav %}{{ item.title }}{% endfor %}</nav>", "<nav class='own'>"),
    "partials/language.html": ('{% macro t(key) %}{{ {"search.placeholder": "Find in " ~ (page.url if page else "")}.get(key, key) }}'
                               "{% endmacro %}", 'placeholder="Find in accounts/codehow/goals/"'),
    "base.html": ((_THEME / "base.html").read_text(encoding="utf-8").replace('"base": base_url',
                                                                            '"base": page.url if page else base_url'),
                  '"base": "accounts/codehow/goals/"'),
}


@pytest.mark.parametrize("override", OVERRIDES)
def test_the_repositorys_own_partials_render_in_the_cached_chrome(override, tmp_path, monkeypatch):
    """A repository's own partial, or a partial it includes, may write anything of the page: it renders for
    each page, and the site is the same as without the cache."""
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "overrides" / "partials").mkdir(parents=True)
    text, written = OVERRIDES[override]
    (repo / "overrides" / override).write_text(text, encoding="utf-8")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                                     encoding="utf-8")
    site = _same_with_and_without_the_cache(repo, monkeypatch)
    assert written in site["accounts/codehow/goals/index.html"].decode()


class _Page:
    def __init__(self, url: str, title: str, meta: dict) -> None:
        self.url, self.title, self.meta = url, title, meta


def test_each_page_gets_its_title_in_the_branch_of_the_header_it_takes(monkeypatch):
    """A header that writes a title from the page's meta and one from its heading differently: the shared header
    of each page is the one made for its branch, and the title is written as the header writes it."""
    header = ("<h>{% if page.meta and page.meta.title %}[{{ page.meta.title }}]{% else %}({{ page.title }}){% endif %}"
              "{{ page.url }}</h>")
    env = Environment(loader=DictLoader({chrome.HEADER: header}))
    chrome.install(env)
    monkeypatch.setattr(chrome.Chrome, "_shareable", lambda self, name, config: True)
    monkeypatch.setattr(chrome.Chrome, "key", lambda self, page, nav, config: ("same",))
    pages = [_Page("a/", "One & <b>", {}), _Page("b/", "Two", {"title": "Meta <i>"}), _Page("c/", "Three", {}),
             _Page("d/", "Four", {"title": "Meta four"})]
    written = [env.get_template(chrome.HEADER).render(page=page, config=None, nav=None) for page in pages]
    # one header per branch, made for its first page (the URL says which), each page's own title in it, as it is
    assert written == ["<h>(One & <b>)a/</h>", "<h>[Meta <i>]b/</h>", "<h>(Three)a/</h>", "<h>[Meta four]b/</h>"]
