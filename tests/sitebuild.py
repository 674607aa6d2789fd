"""Helpers to build a real site with mkdocs from a fixture repo, and to read what it produced."""

from __future__ import annotations

import os
import posixpath
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from click.testing import CliRunner

from account_playbooks.cli.commands import main

PROJECT = Path(__file__).resolve().parent.parent
SITE_FILES = ("mkdocs.yml", "playbook", "site_templates")


def site_repo(source: Path, target: Path) -> Path:
    """A copy of `source` (accounts, criteria, team) with the project's site configuration."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("site", ".venv", "tests"))
    for name in SITE_FILES:
        if not (target / name).exists():
            copy = shutil.copytree if (PROJECT / name).is_dir() else shutil.copy
            copy(PROJECT / name, target / name)
    return target


def build(repo: Path, today: str = "2026-11-24", *extra: str):
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    return CliRunner().invoke(main, ["--root", str(repo), "build", "--today", today, "--site-dir",
                                     str(repo / "site"), *extra])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal link or anchor in the built site that leads nowhere."""
    pages = {p: parse(p) for p in site.rglob("*.html") if p.name != "404.html"}  # 404 uses absolute URLs
    broken = []
    for page, parsed in pages.items():
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:")):
                continue
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = page
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return broken


def site_path(site: Path, page: str) -> Path:
    return site / posixpath.join(page, "index.html") if not page.endswith(".html") else site / page


class _Visible(HTMLParser):
    """The text a reader sees: data outside script and style, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())
