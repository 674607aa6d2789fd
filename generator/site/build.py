"""The whole build, readable top to bottom: check (load -> validate -> score -> judge, in
scoring.check) -> analyse, link -> render.

`generate` adds the site's pages to what `check` found. The CLI and the mkdocs plugin call it
and hold no domain rules of their own: options, printing and mkdocs wiring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import siteconfig
from ..scoring.check import BuildCache, Validated, check

if TYPE_CHECKING:  # the site's stages load when a site is made: `kam validate` starts without them
    from .incremental import Earlier
    from .render import RenderedPage, SiteInput

TEMPLATES = "site_templates"
ASSETS = ("assets/kam.css", "assets/kam.js")  # under TEMPLATES; served at the same paths
THEME_OVERRIDES = Path(__file__).parent / "overrides"  # put first in the theme's search path


@dataclass(frozen=True)
class Generated:
    validated: Validated
    site: SiteInput | None  # the scored, linked and analysed portfolio the pages were made from
    pages: tuple[RenderedPage, ...]  # empty when validation found errors: never half a site


def read_timeline(root: Path):
    """How each account moved, from git; empty outside git or when git fails: the site is still
    built, only without its history."""
    from ..history.gitlog import HistoryProblem, in_git
    from ..history.timeline import NO_HISTORY, history

    if not in_git(root):
        return NO_HISTORY
    try:
        return history(root)
    except HistoryProblem:
        return NO_HISTORY


def _site_settings(root: Path) -> tuple[str | None, bool]:
    """mkdocs.yml's repo_url (for links to commits) and use_directory_urls (how links in the
    HTML the generator writes look); read without mkdocs."""
    try:
        config = siteconfig.read((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        config = {}
    return siteconfig.repo_url(config), siteconfig.directory_urls(config)


def generate(root: Path, today: dt.date, templates: Path | None = None, *,
             focus: frozenset[str] | None = None, timeline=None, directory_urls: bool | None = None,
             cache: BuildCache | None = None, earlier: Earlier | None = None, split: bool = False) -> Generated:
    """Validate, score and render. `focus` renders only those accounts' pages (a fast preview);
    `timeline` is a history already read for this HEAD (`kam serve` keeps it between rebuilds:
    editing files does not change the commits); `directory_urls` overrides mkdocs.yml's; `cache`
    keeps unchanged files parsed and checked between rebuilds; `earlier` (a preview) the last
    build's pages and the accounts edited since, to reuse the pages the edit does not reach;
    `split` renders the account pages in two processes (a one-off build, not a server)."""
    from ..analysis.analytics import analyse
    from ..analysis.link import link
    from ..history.lastchanged import last_changed
    from .render import SiteInput, render

    validated = check(root, today, cache)
    if not validated.ok or validated.scores is None:
        return Generated(validated, None, ())
    portfolio, scores = validated.portfolio, validated.scores
    repo_url, configured_urls = _site_settings(root)
    site = SiteInput(
        root=root,
        portfolio=portfolio,
        scores=scores,
        analytics=analyse(portfolio, scores, today),
        links=link(portfolio),
        history=last_changed(root),
        today=today,
        timeline=timeline if timeline is not None else read_timeline(root),
        repo_url=repo_url,
        directory_urls=configured_urls if directory_urls is None else directory_urls,
    )
    return Generated(validated, site, render(site, templates or root / TEMPLATES, focus, earlier, split))
