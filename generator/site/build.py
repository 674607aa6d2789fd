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

from ..analysis.audiences import INTERNAL, AudienceView, hidden_accounts, resolve, visible_portfolio
from ..analysis.footprint import footprint
from ..core import siteconfig
from ..core.errors import ExitCode, KamError
from ..scoring.check import BuildCache, Validated, check
from ..scoring.score import score_portfolio

if TYPE_CHECKING:  # the site's stages load when a site is made: `kam validate` starts without them
    from .incremental import Earlier
    from .render import RenderedPage, SiteInput

TEMPLATES = "site_templates"
ASSETS = ("assets/kam.css", "assets/brief.css", "assets/kam.js")  # under TEMPLATES; served at the same paths
THEME_OVERRIDES = Path(__file__).parent / "overrides"  # put first in the theme's search path


@dataclass(frozen=True)
class Generated:
    validated: Validated
    site: SiteInput | None  # the scored, linked and analysed portfolio the pages were made from
    pages: tuple[RenderedPage, ...]  # empty when validation found errors: never half a site
    audience: str = INTERNAL


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
             cache: BuildCache | None = None, audience: str = INTERNAL, earlier: Earlier | None = None,
             split: bool = False) -> Generated:
    """Validate, score and render. `focus` renders only those accounts' pages (a fast preview);
    `timeline` is a history already read for this HEAD (`kam serve` keeps it between rebuilds:
    editing files does not change the commits); `directory_urls` overrides mkdocs.yml's; `cache`
    keeps unchanged files parsed and checked between rebuilds. `audience` is whom the site is for:
    the accounts it may not see are gone before anything below the gate reads the portfolio.
    `earlier` (a preview) is the last build's pages and the accounts edited since, to reuse the pages
    the edit does not reach; `split` renders the account pages in two processes (a one-off build,
    not a server)."""
    from ..analysis.analytics import analyse
    from ..analysis.link import link
    from ..history.lastchanged import last_changed
    from .render import SiteInput, render

    validated = check(root, today, cache)
    if not validated.ok or validated.scores is None:
        return Generated(validated, None, ())
    view = site_audience(audience, validated)
    portfolio, scores = visible_portfolio(validated.portfolio, view), validated.scores
    if portfolio is not validated.portfolio:  # scored again: no table, total or rank may count what is gone
        scores = score_portfolio(portfolio)
    full_history = timeline if timeline is not None else read_timeline(root)
    hidden = hidden_accounts(validated.portfolio, view)
    if not view.sees_confidential:
        hidden |= full_history.ever_confidential()
    repo_url, configured_urls = _site_settings(root)
    site = SiteInput(
        root=root,
        portfolio=portfolio,
        scores=scores,
        analytics=analyse(portfolio, scores, today),
        links=link(portfolio),
        history=_without_files_of(last_changed(root), hidden),
        today=today,
        timeline=full_history.without(hidden),
        repo_url=repo_url,
        directory_urls=configured_urls if directory_urls is None else directory_urls,
        footprint=footprint([a for a in portfolio.accounts if a.id in scores.by_account],
                            {account: entry.tier_id for account, entry in scores.by_account.items()}),
    )
    return Generated(validated, site, render(site, templates or root / TEMPLATES, focus, earlier, split),
                     view.name)


def site_audience(name: str, validated: Validated) -> AudienceView:
    """The audience a site is built for; the customer's is a joint plan (`kam build --audience customer
    --account ID`), never a site."""
    view = resolve(name, validated.portfolio.criteria)
    if view.is_customer:
        raise KamError("the customer audience gets one account's joint plan, not a site: add --account ID",
                       exit_code=ExitCode.USAGE, option="--audience")
    return view


def _without_files_of(dates: dict[str, dt.date], accounts: frozenset[str]) -> dict[str, dt.date]:
    if not accounts:
        return dates
    folders = tuple(f"accounts/{a}/" for a in accounts)
    return {path: day for path, day in dates.items() if not path.startswith(folders)}
