"""The whole build, readable top to bottom:
load -> validate -> score -> judge (the rules that need tiers) -> analyse, link -> render.

`check` is what `kam validate` runs; `generate` adds the site's pages. The CLI and the mkdocs
plugin call these and hold no domain rules of their own: options, printing and mkdocs wiring.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.collector import relaxed_collector
from ..core.load import load
from ..scoring.score import score_portfolio
from ..validate import Validated, judge, validate

if TYPE_CHECKING:  # the site's stages load when a site is made: `kam validate` starts without them
    from .render import RenderedPage, SiteInput

TEMPLATES = "site_templates"
ASSETS = ("assets/kam.css", "assets/kam.js")  # under TEMPLATES; served at the same paths
THEME_OVERRIDES = Path(__file__).parent / "overrides"  # put first in the theme's search path


def reference_date(explicit: dt.date | None = None, configured: str | None = None) -> dt.date:
    """The day date rules are judged on: --today, else $KAM_TODAY, else mkdocs.yml's
    `today`, else the real date. Fixing it makes CI runs and tests reproducible."""
    if explicit is not None:
        return explicit
    text = os.environ.get("KAM_TODAY") or configured
    return dt.date.fromisoformat(text) if text else dt.date.today()


@dataclass
class BuildCache:
    """What one build may keep for the next over the same folder (`kam serve`): documents parsed
    (by each file's identity on disk) and their schema checks. A one-off command has none."""
    parsed: dict = field(default_factory=dict)
    checked: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Generated:
    validated: Validated
    site: SiteInput | None  # the scored, linked and analysed portfolio the pages were made from
    pages: tuple[RenderedPage, ...]  # empty when validation found errors: never half a site


@relaxed_collector()
def check(root: Path, today: dt.date, cache: BuildCache | None = None) -> Validated:
    """Everything `kam validate` needs; no mkdocs, no rendering."""
    checked = (validate(load(root), today) if cache is None else
               validate(load(root, cache.parsed), today, cache.checked))
    scores = score_portfolio(checked.portfolio) if checked.scorable else None
    return judge(checked, scores)


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
    HTML the generator writes look); read without mkdocs, tags ignored."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        config = None
    config = config if isinstance(config, dict) else {}
    url = config.get("repo_url")
    repo_url = url.rstrip("/") if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    return repo_url, config.get("use_directory_urls") is not False


@relaxed_collector()
def generate(root: Path, today: dt.date, templates: Path | None = None, *,
             focus: frozenset[str] | None = None, timeline=None, directory_urls: bool | None = None,
             cache: BuildCache | None = None) -> Generated:
    """Validate, score and render. `focus` renders only those accounts' pages (a fast preview);
    `timeline` is a history already read for this HEAD (`kam serve` keeps it between rebuilds:
    editing files does not change the commits); `directory_urls` overrides mkdocs.yml's; `cache`
    keeps unchanged files parsed and checked between rebuilds."""
    from ..analysis.analytics import analyse
    from ..history.lastchanged import last_changed
    from ..analysis.link import link
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
    return Generated(validated, site, render(site, templates or root / TEMPLATES, focus))
