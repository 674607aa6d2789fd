"""The theme's navigation rendered once for the pages that see the same one: the site is the
same byte for byte as when every page renders its own."""

from __future__ import annotations

import pytest

from account_playbooks.site import chrome

from .corpus import BASE
from .sitebuild import build, site_repo

pytestmark = pytest.mark.slow  # builds the site twice with mkdocs


def _tree(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip records when it was written


def test_a_site_with_the_navigation_rendered_once_is_the_same_byte_for_byte(tmp_path, monkeypatch):
    repo = site_repo(BASE, tmp_path / "repo")
    keys: list = []
    shared = chrome.nav_key

    def counted(page, nav, config):
        keys.append(key := shared(page, nav, config))
        return key

    monkeypatch.setattr(chrome, "nav_key", counted)
    assert build(repo).exit_code == 0
    cached = _tree(repo / "site")
    monkeypatch.setattr(chrome, "install", lambda env: None)  # every page renders the theme's navigation
    assert build(repo).exit_code == 0
    assert _tree(repo / "site") == cached
    shared_keys = [k for k in keys if k is not None]
    assert len(shared_keys) > 2 * len(set(shared_keys)) and None in keys  # rendered once, used many times
