"""The theme's navigation and header rendered once for the pages that see the same ones: the site is
the same byte for byte as when every page renders its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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


HEADER_OVERRIDE = """<header class="md-header">{{ page.title }} {{ page.url | upper }}
{% include "partials/source.html" %}</header>"""


@pytest.mark.parametrize("override", ["partials/header.html", "partials/source.html", "partials/nav.html", "base.html"])
def test_the_repositorys_own_partials_render_in_the_cached_chrome(override, tmp_path, monkeypatch):
    """A repository's header or a partial it includes may write anything of the page: it renders for
    each page; its navigation renders once per key, as the theme's does."""
    repo = site_repo(BASE, tmp_path / "repo")
    (repo / "overrides" / "partials").mkdir(parents=True)
    theme = Path(get_theme_dir("material"))
    text = {"base.html": (theme / "base.html").read_text(encoding="utf-8").replace('"base": base_url', '"base": page.url if page else base_url'),
            "partials/header.html": HEADER_OVERRIDE, "partials/source.html": "<a class='own'>{{ page.url }}</a>",
            "partials/nav.html": "<nav class='own'>{% for item in nav %}{{ item.title }}{% endfor %}</nav>"}[override]
    (repo / "overrides" / override).write_text(text, encoding="utf-8")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
                                     encoding="utf-8")
    site = _same_with_and_without_the_cache(repo, monkeypatch)
    page = site["accounts/codehow/goals/index.html"].decode()
    assert {"base.html": '"base": "accounts/codehow/goals/"', "partials/header.html": "ACCOUNTS/CODEHOW/GOALS/", "partials/source.html": "<a class='own'>accounts/codehow/goals/",
            "partials/nav.html": "<nav class='own'>"}[override] in page
