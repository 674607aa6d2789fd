"""Stage: render. Jinja2 templates in site_templates/ turn the linked model into Markdown pages.

Safety: every value printed from an account file is HTML-escaped and Markdown-escaped by the
environment's `finalize`, so a `<script>` or a `{{ ... }}` in a note appears literally. Bodies
written in Markdown (plans, review notes) keep their Markdown but lose raw HTML. Templates
opt out of escaping only for strings the generator built itself (links, SVG), as Markup.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    Undefined,
)
from markupsafe import Markup

from ..analysis.analytics import ATTENTION_LABELS, KPIS, WATCH_LABELS, Analytics, FollowUp, RevenueView
from ..analysis.attention import morning_rows
from ..analysis.brief import brief_of
from ..analysis.footprint import Footprint
from ..analysis.link import Links, Rel
from ..core.codes import CODES, GROUPS
from ..core.errors import KamError
from ..core.formats import label, money, num, pct, score
from ..core.mdtext import demote_headings
from ..core.model import HORIZONS, SENTIMENT_ORDER, Account, Portfolio
from ..core.refs import Ref, resolve_wikilink
from ..core.schemas import FILE_KINDS, field_rows, nested_models
from ..history.lastchanged import changed_on
from ..history.timeline import NO_HISTORY, History
from ..scoring.placement import CANDIDATE, STANDARD
from ..scoring.score import Scores
from . import charts, incremental, tables
from .authored import AuthoredRenderer, Heading
from .brief import render_brief
from .escape import cell, html_text, md_text
from .pages import (
    account_feed,
    account_page,
    file_href,
    href,
    index_anchors,
    index_page,
    person_feed,
    person_page,
    ref_page,
    relative,
    review_page,
)
from .templates import DEFAULT_TEMPLATES


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, not once per build: a preview builds again on every
    save. Jinja checks each template's source against what was compiled (an edited template is
    compiled again). One per kind of environment: the code depends on its settings."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self._compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()

INDEX_DIMENSIONS = ("tier", "industry", "region", "tag")
NOT_SHOWN = "(an account not shown here)"  # a wiki-link to an account this site's audience does not see (W602)
REVIEW_TYPE_NAMES = {"qbr": "Quarterly business review", "executive": "Executive review",
                     "internal": "Internal review", "health_check": "Health check"}


@dataclass(frozen=True)
class SiteInput:
    root: Path
    portfolio: Portfolio
    scores: Scores
    analytics: Analytics
    links: Links
    history: dict[str, dt.date]  # when each source file last changed
    today: dt.date
    footprint: Footprint  # what each scored account bought and its white space (computed once, in generate)
    timeline: History = NO_HISTORY  # how each account moved, commit by commit
    repo_url: str | None = None  # for links to commits
    directory_urls: bool = True  # mkdocs.yml's use_directory_urls: how links the generator writes in HTML look


@dataclass(frozen=True)
class Block:
    """HTML a template wrote itself: put into the page after Markdown, which never reads it."""
    html: str
    searchable: bool = True  # False: left out of the search index (charts, tables of figures)


_PLACEHOLDER = re.compile(r"<!--kam-block-(\d+)(?:-(\d+))?-->")  # one block, or a run of them (compact)
# Placeholders on lines of their own, with only blank lines between them: Markdown writes them
# one after another, two newlines apart, whatever it is given between them.
_RUN = re.compile(r"^<!--kam-block-(\d+)-->(?:\n+<!--kam-block-\d+-->)+$", re.MULTILINE)
_RUN_SEPARATOR = "\n\n"
_BLOCK_START = re.compile(r"<(div|p|table|ul|ol|dl|section|figure|details|nav|blockquote|h[1-6])[\s>]")


@dataclass(frozen=True)
class RenderedPage:
    """A generated page: Markdown for what mkdocs must see (headings, for the table of contents
    and permalinks; authored bodies) and a placeholder where each block of HTML goes. Skipping
    Markdown for the rest halves a build: Python-Markdown's cost grows with the text it reads."""
    path: str  # inside the site's docs tree
    markdown: str
    source: str | None  # repo-relative file the page comes from, for "edit this page"
    blocks: tuple[Block, ...] = ()

    def fill(self, html: str, *, searchable_only: bool = False) -> str:
        """The page's HTML after Markdown, with each block where its placeholder was."""
        def one(index: int) -> str:
            if index >= len(self.blocks):
                return ""
            found = self.blocks[index]
            return found.html if found.searchable or not searchable_only else ""

        def block(match: re.Match) -> str:
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else first
            return _RUN_SEPARATOR.join(one(i) for i in range(first, last + 1))
        return _PLACEHOLDER.sub(block, html)

    def unplaced(self, html: str) -> int:
        """How many blocks have no placeholder left in the page's HTML: a template put one where
        Markdown does not keep raw HTML (in a code block, say), and its content would be lost."""
        placed: set[int] = set()
        for first, last in _PLACEHOLDER.findall(html):
            placed.update(range(int(first), int(last or first) + 1))
        return len(set(range(len(self.blocks))) - placed)

    @property
    def compact(self) -> str:
        """The Markdown with each run of placeholders (only blank lines between them) as one: the
        same HTML once filled, and less for Markdown to read (its cost grows with the elements
        it sees). Not in a page with a fenced code block, where a placeholder is text."""
        if "```" in self.markdown or "~~~" in self.markdown:
            return self.markdown

        def run(match: re.Match) -> str:
            indices = [int(i) for i in re.findall(r"kam-block-(\d+)", match.group(0))]
            if indices != list(range(indices[0], indices[-1] + 1)):
                return match.group(0)
            return f"<!--kam-block-{indices[0]}-{indices[-1]}-->"
        return _RUN.sub(run, self.markdown)

    @property
    def standalone(self) -> str:
        """The page as one Markdown file, blocks written in as raw HTML: for an engine without
        the kam plugin (`kam render --out`)."""
        def raw(match: re.Match) -> str:
            html = re.sub(r"\n\s*\n", "\n", self.blocks[int(match.group(1))].html)
            return html if _BLOCK_START.match(html) else f"<div>{html}</div>"
        return _PLACEHOLDER.sub(raw, self.markdown)


class TemplateLinks:
    """The relations as templates read them: by the enum only (`links.of(ref, Rel.OWNER_OF)`), so
    that a misspelt relation stops the build at its template line instead of listing nothing."""

    def __init__(self, links: Links) -> None:
        self._links = links

    def of(self, source: Ref, relation: Rel) -> tuple[Ref, ...]:
        if isinstance(relation, Undefined):
            str(relation)  # StrictUndefined raises here, naming the attribute that was misspelt
        if not isinstance(relation, Rel):
            raise TemplateRuntimeError(f"links.of takes a relation such as Rel.OWNER_OF, not {relation!r}")
        return self._links.of(source, relation)


class Renderer:
    def __init__(self, site: SiteInput, templates: Path) -> None:
        self.site = site
        self.templates = templates
        self._in_block = False  # while a block renders, values are escaped for HTML, not Markdown
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(templates)), FileSystemLoader(str(DEFAULT_TEMPLATES))]),
            autoescape=True, finalize=self._finalize,
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters.update(cell=cell, h=html_text, verbatim=Markup, money=money, score=score, pct=pct,
                                label=label, num=num)
        self.env.globals.update(
            site=site, kpis=KPIS, kpi_scales={k.name: k.scale for k in KPIS if k.scale}, portfolio=site.portfolio, scores=site.scores, analytics=site.analytics,
            links=TemplateLinks(site.links), today=site.today, horizons=HORIZONS, sentiments=SENTIMENT_ORDER,
            account_page=account_page, person_page=person_page, review_page=review_page, ref_page=ref_page,
            account_feed=account_feed, person_feed=person_feed,
            charts=charts, money=money, num=num, score_text=score, changed=self.changed,
            person_name=self.person_name, dimension_values=self.dimension_values,
            tier_names=site.scores.ladder.names, tier_rank=site.scores.ladder.ranks, Rel=Rel,
            attention_labels=ATTENTION_LABELS, watch_labels=WATCH_LABELS, index_page=self.index_page,
            revenue_of=self.revenue_of, review_types=REVIEW_TYPE_NAMES,
            influence_rank={"high": 0, "medium": 1, "low": 2}, sentiment_rank={s: i for i, s in enumerate(SENTIMENT_ORDER)},
            criterion_names={c.id: c.name for c in site.scores.criteria.criteria},
            timeline=site.timeline, cause_names=CAUSE_NAMES,
            right=Markup(' style="text-align:right"'),  # a right-aligned cell, as Markdown's `--:` writes it
        )

        self.authored = AuthoredRenderer(site.scores.criteria.content.image_hosts)
        portfolio = site.portfolio
        self._anchors: dict[str, dict[str, str]] = {}
        self.directory = (frozenset(portfolio.team_by_id), frozenset(portfolio.accounts_by_id),
                          {a.id: frozenset(s.id for s in a.stakeholders) for a in portfolio.accounts})

    def _finalize(self, value: Any) -> Markup:
        if isinstance(value, Markup):
            return value
        return html_text(value) if self._in_block else md_text(value)

    def revenue_of(self, accounts: list[Account]) -> str:
        """Annual revenue of a group, totalled as the home page totals the portfolio."""
        totals = self.site.analytics.revenue_totals(a.id for a in accounts)
        return " · ".join(money(total, currency) for currency, total in totals)

    def person_name(self, person_id: str) -> str:
        person = self.site.portfolio.team_by_id.get(person_id)
        return person.name if person else person_id

    def changed(self, path: str) -> str:
        date = changed_on(self.site.root, path, self.site.history)
        return date.isoformat() if date else "unknown"

    def dimension_values(self, account: Account, dimension: str) -> list[str]:
        p = account.profile
        if dimension == "tier":
            return [self.site.scores.by_account[account.id].tier_name]
        if dimension == "tag":
            return list(p.tags)
        return [getattr(p, dimension)]

    def index_page(self, dimension: str, value: str) -> str:
        """pages.index_page with the anchors of every value the dimension has on the site."""
        anchors = self._anchors.get(dimension)
        if anchors is None:
            scored = self.site.scores.by_account
            anchors = self._anchors[dimension] = index_anchors(
                value for account in self.site.portfolio.accounts if account.id in scored
                for value in self.dimension_values(account, dimension))
        return index_page(dimension, value, anchors)

    def page(self, template: str, path: str, source: str | None, **context: Any) -> RenderedPage:
        blocks: list[Block] = []
        anchors: set[str] = set()  # ids authored bodies took on this page

        def rel(target: str) -> Markup:
            return relative(path, target)

        def url(target: str) -> Markup:
            return href(path, target, self.site.directory_urls)

        def feed(target: str) -> Markup:
            return file_href(path, target, self.site.directory_urls)

        def block(caller, search: bool = True) -> Markup:
            """`{% call block() %}<div>…</div>{% endcall %}`: HTML that Markdown never reads. Inside
            another block it is simply part of that block, so a macro can always open one."""
            if self._in_block:
                return Markup(caller())
            outer, self._in_block = self._in_block, True
            try:
                html = str(caller()).strip()
            finally:
                self._in_block = outer
            blocks.append(Block(html, search))
            return Markup(f"\n\n<!--kam-block-{len(blocks) - 1}-->\n\n")

        def wikilink(target: str) -> str:
            ref = resolve_wikilink(target, *self.directory)
            if not isinstance(ref, tuple):  # validation refuses an unknown name: this is an account the audience may not see
                return str(md_text(NOT_SHOWN))
            return f"[{_wikilink_text(self.site.portfolio, ref)}]({url(ref_page(ref))})"

        def body(text: str) -> Markup:
            """An authored body: its headings as Markdown (for the table of contents), the rest as
            blocks of HTML the generator rendered and sanitised itself (authored.py)."""
            out = []
            for piece in self.authored.render(text, wikilink, anchors):
                if isinstance(piece, Heading):
                    out.append(f"\n{'#' * piece.level} {md_text(piece.text)} {{ #{piece.anchor} }}\n")
                else:
                    blocks.append(Block(piece.html))
                    out.append(f"\n\n<!--kam-block-{len(blocks) - 1}-->\n\n")
            return Markup("".join(out))

        try:
            markdown = self.env.get_template(template).render(
                here=path, rel=rel, url=url, feed=feed, block=block, source=source, body=body, **context)
        except TemplateError as exc:
            raise TemplateProblem(_template_location(exc, template), f"{type(exc).__name__}: {exc}") from None
        return RenderedPage(path, markdown, source, tuple(blocks))


class TemplateProblem(KamError):
    """A mistake in site_templates/ (they are the user's to edit): where it is and what it is."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"site_templates/{where}: {what}")


def _template_location(exc: TemplateError, template: str) -> str:
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{exc.name or exc.filename}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    return template


def _wikilink_text(portfolio: Portfolio, ref: Ref) -> str:
    if ref[0] == "person":
        name = portfolio.team_by_id[ref[1]].name
    elif ref[0] == "account":
        name = portfolio.accounts_by_id[ref[1]].profile.name
    else:
        stakeholder = portfolio.accounts_by_id[ref[1]].stakeholder(ref[2])
        name = stakeholder.name if stakeholder else ref[2]  # resolved, so there is one
    return str(md_text(name))


# The groups below the tiers, as the home page introduces them.
_BELOW_TIERS = {
    STANDARD: ("Standard accounts", "Not key accounts: kept on the site and watched for promotion."),
    CANDIDATE: ("Candidates", "Imported from the CRM with proposed scores that nobody has accepted yet: unscored until "
                "a person accepts or rewrites them. The badge shows the tier the proposal would reach, the score is "
                "the proposal's."),
}


def _groups_by_tier(site: SiteInput) -> list[tuple[str, str, str, list[Account], bool]]:
    """(tier id, heading, introduction, accounts, whether their rows show the tier badge) per group."""
    table, ladder = site.scores.table, site.scores.ladder
    groups = []
    for tier_id in ladder.shown(table["tier"]):
        accounts = _by_score(site, table.index[table["tier"] == tier_id])
        heading, intro = (ladder.name(tier_id), "") if ladder.is_key(tier_id) else _BELOW_TIERS[tier_id]
        groups.append((tier_id, heading, intro, accounts, tier_id == CANDIDATE))  # a candidate's badge shows its proposal
    return groups


def _by_score(site: SiteInput, ids) -> list[Account]:
    accounts = [site.portfolio.accounts_by_id[i] for i in ids]
    return sorted(accounts, key=lambda a: (-site.scores.by_account[a.id].score, a.id))


HOME_TIER_ROWS = 10  # per tier on the home page; at 1,000 accounts the page stays one screen of tables


def _home_context(site: SiteInput) -> dict[str, Any]:
    names = site.scores.ladder.names
    css = {t: f"tier-{t}" for t in names}
    scale = site.scores.criteria.scale
    items = site.analytics.attention
    first, extra = morning_rows(items, kam_of={a.id: a.profile.owner for a in site.portfolio.accounts})
    groups, ladder = _groups_by_tier(site), site.scores.ladder
    return {
        # Key accounts only, each tier's first rows by score: the whole portfolio is one click away.
        "groups": [(name, intro, members[:HOME_TIER_ROWS], show, len(members))
                   for tier_id, name, intro, members, show in groups if ladder.is_key(tier_id)],
        "others": [(name, len(members)) for tier_id, name, _, members, _ in groups if not ladder.is_key(tier_id)],
        "attention_first": first,
        "attention_extra": extra,
        "key_count": site.scores.key_count,
        "tier_bars_count": [(names[t], float(n), css[t]) for t, n in site.analytics.tiers["accounts"].items()],
        "revenue_charts": [_revenue_chart(site, view, names, css) for view in site.analytics.revenue],
        "thresholds": [(t.name, t.min_score) for t in site.scores.criteria.tiers],
        "tier_legend": _tier_legend(site.scores, names),
        "score_range": (scale.min, scale.max),
    }


def _tier_legend(scores: Scores, names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, css class, marker shape) per tier present in the portfolio, highest first: the
    scatter's key, and a shape per tier so that no reader depends on telling two hues apart."""
    present = set(scores.table["tier"])
    order = [t.id for t in scores.criteria.tiers] + [STANDARD, CANDIDATE]
    return [(names[t], f"tier-{t}", charts.SHAPES[i] if i < len(charts.SHAPES) else "circle")
            for i, t in enumerate(order) if t in present]


def _revenue_chart(site: SiteInput, view: RevenueView, names: dict[str, str], css: dict[str, str]) -> dict[str, Any]:
    """The figures behind one currency's revenue charts: every amount in view.currency."""
    by_account = site.scores.by_account
    return {
        "view": view,
        "bars": [(names[t], float(row.annual_revenue), css[t]) for t, row in view.tiers.iterrows()],
        "points": [(site.portfolio.accounts_by_id[a].profile.name, float(amount), by_account[a].score,
                    f"tier-{by_account[a].tier_id}") for a, amount in view.revenue.items() if a in by_account],
    }


def _index_groups(r: Renderer, dimension: str) -> list[tuple[str, list[Account]]]:
    site = r.site
    groups: dict[str, list[Account]] = {}
    for account in site.portfolio.accounts:
        if account.id in site.scores.by_account:
            for value in r.dimension_values(account, dimension):
                groups.setdefault(value, []).append(account)
    ladder = site.scores.ladder
    order = [ladder.name(t) for t in ladder.order] if dimension == "tier" else sorted(groups)
    return [(value, sorted(groups[value], key=lambda a: -site.scores.by_account[a.id].score))
            for value in order if value in groups]


def _watch(site: SiteInput) -> dict[str, list]:
    out: dict[str, list] = {"promotion": [], "at_risk": []}
    for account_id, entry in sorted(site.scores.by_account.items(), key=lambda kv: -kv[1].score):
        if entry.watch:
            out[entry.watch].append((site.portfolio.accounts_by_id[account_id], entry))
    return out


CHANGE_LOG_ROWS = 20  # the page stays the same size however long an account's history grows
CAUSE_NAMES = {"account": "the account's files", "criteria": "criteria.yml", "both": "both",
               "team": "team.yml"}


def _history_context(site: SiteInput, account_id: str, tier_id: str) -> dict[str, Any]:
    series = site.timeline.of(account_id)
    criteria = site.scores.criteria
    logged = [p for p in reversed(series) if p.changes or p.score_moved]
    return {
        "moves": series,
        "tier_since": since if (since := site.timeline.tier_since(account_id, tier_id)) is None or
        site.timeline.first_commit is None or since.commit != site.timeline.first_commit.sha else None,
        "history_begins": site.timeline.first_commit.date.date() if site.timeline.first_commit else None,
        "history_points": [(p.date.date(), p.score, p.cause in ("criteria", "both"), "; ".join(p.changes))
                           for p in series],
        "tier_bands": [(t.name, t.min_score, f"tier-{t.id}") for t in criteria.tiers],
        "score_range": (criteria.scale.min, criteria.scale.max),
        "change_log": logged[:CHANGE_LOG_ROWS],
        "older": max(len(logged) - CHANGE_LOG_ROWS, 0),
    }


WINDOWS = (("Last 30 days", 0, 30), ("30 to 90 days ago", 30, 90))


@dataclass(frozen=True)
class ChangeWindow:
    title: str
    tiers: list  # timeline Points, newest first
    arrivals: list
    scores: list
    reviews: list  # (Account, Review), newest first
    criteria: list  # one Point per commit that changed criteria.yml, with its words
    founding: bool = False  # its arrivals are the accounts of the first commit: where history begins, not news


def _criteria_moves(points: list) -> list:
    """One point per commit that changed criteria.yml, carrying only the criteria's own words."""
    seen: dict[str, Any] = {}
    for p in points:
        words = tuple(c.removeprefix("criteria: ") for c in p.changes if c.startswith("criteria: "))
        if p.cause in ("criteria", "both") and words and p.commit not in seen:
            seen[p.commit] = replace(p, changes=words)
    return list(seen.values())


def _changes_context(site: SiteInput) -> dict[str, Any]:
    """The "What changed" page: the timeline's moves and the reviews held, per window of days."""
    timeline, today = site.timeline, site.today
    current_ids = {p.commit + p.account: key for key, series in timeline.series.items() for p in series}
    recent = timeline.since(today - dt.timedelta(days=WINDOWS[-1][2]))
    reviews = sorted(((a, r) for a in site.portfolio.accounts for r in a.reviews),
                     key=lambda pair: (pair[1].meta.date, pair[0].id), reverse=True)
    windows = []
    for title, newest, oldest in WINDOWS:
        def inside(day: dt.date, oldest: int = oldest, newest: int = newest) -> bool:
            age = (today - day).days
            return (age < oldest) and (age >= newest or newest == 0)
        points = [p for p in recent if inside(p.date.date())]
        arrivals = [p for p in points if p.added or p.removed or p.renamed_from]
        first = timeline.first_commit
        founding = bool(arrivals) and first is not None and all(p.added and p.commit == first.sha for p in arrivals)
        windows.append(ChangeWindow(
            title,
            tiers=[p for p in points if p.tier_moved],
            arrivals=arrivals,
            scores=[p for p in points if p.score_moved],
            reviews=[(a, r) for a, r in reviews if inside(r.meta.date)],
            criteria=_criteria_moves(points),
            founding=founding,
        ))
    return {"windows": windows, "current_ids": current_ids}


def _body_without_title(text: str) -> str:
    """Drop the body's H1: the generated page has its own."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return "\n".join(lines[i + 1:]) if line.startswith("# ") else text
    return text


def _account_pages(r: Renderer, site: SiteInput, accounts: list[Account]) -> list[RenderedPage]:
    portfolio = site.portfolio
    pages: list[RenderedPage] = []
    owner_names = {p.id: p.name for p in portfolio.team}
    for account in accounts:
        d = account.dir
        entry = site.scores.by_account[account.id]
        kpis = site.analytics.kpis[account.id]
        dates = [p.date.isoformat() for p in kpis]
        pages += [
            r.page("account.md.j2", account_page(account.id), f"{d}/account.yml", account=account,
                   parent=portfolio.accounts_by_id.get(account.profile.parent or ""),
                   subsidiaries=[portfolio.accounts_by_id[ref[1]]
                                 for ref in site.links.of(("account", account.id), Rel.PARENT_OF)],
                   contribution_bars=[(c.name, c.points, "criterion") for c in entry.contributions],
                   kpi_lines=[(k.name, list(zip(dates, [getattr(p, k.field) for p in kpis]))) for k in KPIS],
                   **_history_context(site, account.id, entry.tier_id)),
            r.page("stakeholders.md.j2", account_page(account.id, "stakeholders"), f"{d}/stakeholders.yml",
                   account=account, owner_names=owner_names),
            r.page("goals.md.j2", account_page(account.id, "goals"), f"{d}/goals.yml", account=account),
            r.page("plan.md.j2", account_page(account.id, "plan"), f"{d}/strategy.md", account=account,
                   plan_body=_body_without_title(account.plan.body) if account.plan else ""),
            r.page("account_reviews.md.j2", account_page(account.id, "reviews/index"), None, account=account,
                   review_bodies={review.slug: demote_headings(_body_without_title(review.body))
                                  for review in account.reviews}),
            r.page("pack.md.j2", account_page(account.id, "pack"), None, account=account),
            r.page("brief.md.j2", account_page(account.id, "brief"), None, account=account,
                   brief_html=render_brief(brief_of(account, portfolio, site.scores.criteria, entry, site.today),
                                           r.templates)),
        ]
    return pages


_REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Moved</title>
<meta http-equiv="refresh" content="0; url={target}"><link rel="canonical" href="{target}">
</head><body><p>This review is now on its account's reviews page: <a href="{target}">{target}</a>.</p></body></html>
"""


def review_redirects(generated, directory_urls: bool) -> list[tuple[str, str]]:
    """(path in the docs tree, HTML) of a small page at each review's old address, leading to its
    section of the account's reviews page: a review had a page of its own before, and links and
    bookmarks to it must keep working. Only for the accounts whose pages were rendered."""
    if generated.site is None:
        return []
    import html

    rendered = {p.path for p in generated.pages}
    found = []
    for account in generated.site.portfolio.accounts:
        if account_page(account.id, "reviews/index") not in rendered:
            continue
        for review in account.reviews:
            old = f"accounts/{account.id}/reviews/{review.slug}"
            path, target = ((f"{old}/index.html", f"../#{review.slug}") if directory_urls
                            else (f"{old}.html", f"index.html#{review.slug}"))
            found.append((path, _REDIRECT.format(target=html.escape(target))))
    return found


# What keeps the footprint page usable at a thousand accounts (about 150 KB): every account's own
# page lists all of its products and white space.
FOOTPRINT_LIMITS = {"opportunity_limit": 100, "matrix_limit": 200, "product_limit": 12}



SPLIT_FROM = 200  # accounts: below it, starting a second process costs more than it saves


CHUNK = 8  # accounts taken at a time from the shared counter: small enough to balance, large enough to be cheap


def _take(counter, total: int) -> range | None:
    """The next CHUNK of account positions nobody has taken, or None when all are taken."""
    with counter.get_lock():
        first = counter.value
        if first >= total:
            return None
        counter.value = min(total, first + CHUNK)
    return range(first, min(total, first + CHUNK))


def _render_taken(r: Renderer, site: SiteInput, accounts: list[Account], counter) -> dict[int, list[RenderedPage]]:
    """Pages of the chunks this process takes, by the chunk's first position, until none is left."""
    done: dict[int, list[RenderedPage]] = {}
    while (chunk := _take(counter, len(accounts))) is not None:
        done[chunk.start] = _account_pages(r, site, [accounts[i] for i in chunk])
    return done


def _render_in_second_process(connection, r: Renderer, site: SiteInput, accounts: list[Account], counter) -> None:
    """In the second process: its chunks' pages, or None when rendering fails (the first process
    then renders those accounts itself, and reports the failure as it would have)."""
    try:
        taken: dict[int, list[RenderedPage]] | None = _render_taken(r, site, accounts, counter)
    except BaseException:  # noqa: BLE001 - any failure is the first process's to report
        taken = None
    connection.send(taken)
    connection.close()


def _account_pages_split(r: Renderer, site: SiteInput, accounts: list[Account],
                         first: Callable[[], list[RenderedPage]]) -> tuple[list[RenderedPage], list[RenderedPage]]:
    """(first(), _account_pages of the accounts) over two cores: a forked process (which starts with
    this one's templates compiled and portfolio loaded) and this one take chunks of accounts from a
    shared counter, this one after rendering first() (the portfolio's own pages), so that neither
    waits for the other. Jinja holds the GIL, so threads would not help. The same pages, in the
    same order, as in one process."""
    if len(accounts) < SPLIT_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return first(), _account_pages(r, site, accounts)
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_render_in_second_process, args=(send, r, site, accounts, counter), daemon=True)
    worker.start()
    send.close()
    try:
        own = first()
        mine = _render_taken(r, site, accounts, counter)
        theirs = receive.recv()
    finally:
        receive.close()
        worker.join()
    if theirs is None:  # the second process failed: its chunks are rendered here, where a failure is reported
        theirs = {start: _account_pages(r, site, accounts[start:start + CHUNK])
                  for start in range(0, len(accounts), CHUNK) if start not in mine}
    chunks = {**mine, **theirs}
    return own, [page for start in sorted(chunks) for page in chunks[start]]


def _account_pages_since(r: Renderer, site: SiteInput, accounts: list[Account],
                         earlier: incremental.Earlier) -> list[RenderedPage]:
    """The accounts' pages as _account_pages renders them, reusing the earlier build's pages of
    every account that the edit of `earlier.edited` does not reach (incremental.py says which)."""
    before = incremental.by_account(earlier.pages)
    fresh = {a.id: _account_pages(r, site, [a]) for a in accounts if a.id in earlier.edited or a.id not in before}
    again = incremental.affected(before, earlier.edited | fresh.keys(), fresh, [a.id for a in accounts])
    # An edit of one account's products, industry or tier moves its peers' white space: their pages show it.
    again |= incremental.white_space_moved(earlier.footprint, site.footprint, [a.id for a in accounts])
    pages: list[RenderedPage] = []
    for account in accounts:
        if account.id in fresh:
            pages += fresh[account.id]
        elif account.id in again:
            pages += _account_pages(r, site, [account])
        else:
            pages += before[account.id]
    return pages


def render(site: SiteInput, templates: Path, focus: frozenset[str] | None = None,
           earlier: incremental.Earlier | None = None, split: bool = False) -> tuple[RenderedPage, ...]:
    """Every page of the site; with `focus`, only those accounts' pages and a page listing them
    (a preview: the figures still come from the whole portfolio, other pages are not built).
    With `earlier` (a preview too), account pages the edit does not reach are reused from it.
    `split`: render the account pages in two processes (a build; not a server, whose threads
    a fork would copy mid-flight)."""
    r = Renderer(site, templates)
    portfolio = site.portfolio
    actions_by_owner: dict[str, list] = {}
    for item in site.analytics.actions_past_due:
        actions_by_owner.setdefault(item.owner, []).append(item)
    for account in portfolio.accounts:  # open until a review closes it (Account.actions), due or not
        for tracked in account.open_actions:
            action = tracked.action
            if not action.past_due(site.today):
                actions_by_owner.setdefault(action.owner, []).append(
                    FollowUp(account.id, action.owner, action.title, action.due, tracked.latest.path, False))
    goals_by_owner: dict[str, list] = {}
    for account in portfolio.accounts:
        for goal in sorted(account.goals, key=lambda g: g.due):
            if goal.is_open:
                goals_by_owner.setdefault(goal.owner, []).append((account, goal))
    scored = [a for a in portfolio.accounts if a.id in site.scores.by_account]
    r.env.globals["footprint"] = site.footprint
    if focus is not None:  # a preview: the accounts being edited, and a page that lists them
        scored = [a for a in scored if a.id in focus]
        pages = [r.page("preview.md.j2", "index.md", None, accounts=scored)]
        return tuple(pages + _account_pages(r, site, scored))

    def people(kept: dict[str, RenderedPage]) -> list[RenderedPage]:
        return [kept.get(person.id) or r.page(
            "person.md.j2", person_page(person.id), "team.yml", person=person,
            open_actions=sorted(actions_by_owner.get(person.id, []), key=lambda f: f.due),
            my_goals=goals_by_owner.get(person.id, [])) for person in portfolio.team]

    if earlier is None and split:  # the portfolio's and people's pages while the second process starts on accounts
        own, accounts = _account_pages_split(r, site, scored, lambda: _portfolio_pages(r, site, scored) + people({}))
        return tuple(own + accounts)
    pages = _portfolio_pages(r, site, scored)
    if earlier is not None:
        accounts = _account_pages_since(r, site, scored, earlier)
    else:
        accounts = _account_pages(r, site, scored)
    kept: dict[str, RenderedPage] = {}
    if earlier is not None:  # a preview: the people an edit does not reach keep their pages
        before = {who: page for page in earlier.pages if (who := incremental.person_of(page.path)) is not None}
        again = incremental.people_affected({k: [v] for k, v in before.items()}, earlier.edited,
                                            [p for p in accounts if incremental.account_of(p.path) in earlier.edited],
                                            site.root, [person.id for person in portfolio.team])
        kept = {k: v for k, v in before.items() if k not in again}
    return tuple(pages + people(kept) + accounts)


def _portfolio_pages(r: Renderer, site: SiteInput, scored: list[Account]) -> list[RenderedPage]:
    """The pages about the whole portfolio (home, lists, analytics, references, indexes)."""
    criteria = site.scores.criteria
    pages = [
        r.page("home.md.j2", "index.md", None, **_home_context(site)),
        r.page("accounts.md.j2", "accounts/index.md", None, accounts=_by_score(site, [a.id for a in scored])),
        r.page("criteria.md.j2", "criteria.md", "criteria.yml", criteria_table=tables.criteria_table(criteria),
               tier_table=tables.tier_table(criteria, site.scores),
               sections_list=tables.required_sections(criteria)),
        r.page("analytics.md.j2", "analytics.md", None, watch=_watch(site)),
        r.page("attention.md.j2", "attention.md", None),
        r.page("footprint.md.j2", "footprint.md", None, **FOOTPRINT_LIMITS),
        r.page("changes.md.j2", "changes.md", None, **_changes_context(site)),
        r.page("people.md.j2", "people/index.md", "team.yml"),
        r.page("diagnostics.md.j2", "reference/diagnostics.md", "generator/core/codes.py",
               codes=list(CODES.values()), groups=GROUPS),
        r.page("file_formats.md.j2", "reference/file-formats.md", "generator/core/model.py", file_kinds=FILE_KINDS,
               field_rows=field_rows, nested_models=nested_models),
    ]
    for dimension in INDEX_DIMENSIONS:
        pages.append(r.page("index_by.md.j2", f"indexes/{dimension}.md", None, dimension=dimension,
                            groups=_index_groups(r, dimension)))
    return pages
