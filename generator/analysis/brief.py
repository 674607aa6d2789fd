"""The QBR brief as plain data: what a KAM prints before a review, built from the model in one function.

Every figure is worked out here, not in a template: each goal's measure against its reading at the last
review, each KPI's change between consecutive reviews, the next review from the tier's cadence. The
renderers (site/brief.py) only lay it out; the customer's version leaves out the `internal` part.
Lists are cut to what fits one A4 page (`more` says how many were left out), so that any account's
brief prints on one page, not only the example's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from ..core.codes import Severity
from ..core.diagnostics import has_errors
from ..core.errors import ExitCode, KamError
from ..core.model import Account, CriteriaConfig, Portfolio, Review, Role, TrackedAction
from ..core.text import suggest
from ..scoring.check import Validated
from ..scoring.placement import AccountScore
from .analytics import KPIS, WATCH_LABELS, health

# What one A4 page holds at 9pt beside the other sections; the site's other pages list the rest.
MOST_OBJECTIVES = 6
MOST_ACTIONS = 8
MOST_PEOPLE = 8
MOST_ASKS = 5
MOST_KPI_POINTS = 4  # the trend over the last four reviews: a year of quarterly reviews
BRIEF_KPIS = ("revenue", "retention_pct", "nps")  # review front matter's `kpis`
ROLE_ORDER: tuple[Role, ...] = ("decision_maker", "economic_buyer", "champion", "influencer", "gatekeeper", "user",
                                "blocker")

_T = TypeVar("_T")


def delta(now: float | None, before: float | None) -> float | None:
    """now - before, or None when either is unknown (never a change made up from a missing figure)."""
    return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Cut:
    """A list cut to what the page holds, and how many were left out."""
    shown: tuple
    more: int


def cut(items: list[_T] | tuple[_T, ...], most: int) -> Cut:
    return Cut(tuple(items[:most]), max(len(items) - most, 0))


@dataclass(frozen=True)
class Objective:
    title: str
    status: str
    due: dt.date
    owner: str  # the owner's name
    metric: str | None  # None: the goal has no measure
    now: float | None  # goals.yml's current value
    target: float | None
    readings: tuple[tuple[dt.date, float], ...]  # the measure as each review read it, oldest first
    since: dt.date | None  # the review the change is counted from: the latest one that read it
    change: float | None  # now minus the reading at `since`


@dataclass(frozen=True)
class KpiPoint:
    date: dt.date
    value: float
    change: float | None  # against the review before that recorded this KPI


@dataclass(frozen=True)
class KpiTrend:
    name: str
    money: bool
    points: tuple[KpiPoint, ...]  # oldest first, at most MOST_KPI_POINTS

    @property
    def latest(self) -> KpiPoint | None:
        return self.points[-1] if self.points else None

    def at(self, day: dt.date) -> KpiPoint | None:
        return next((p for p in self.points if p.date == day), None)


@dataclass(frozen=True)
class MapEntry:
    role: str
    name: str
    title: str
    influence: str
    sentiment: str
    tone: str  # how the page marks the lean: warn (against us), good (for us) or plain


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str  # the owner's name
    due: dt.date
    status: str  # open, late, done or dropped
    agreed: dt.date  # the review that agreed it


@dataclass(frozen=True)
class AskLine:
    ask: str
    of: str  # "Name, title" of the stakeholder asked, or ""
    goal: str  # the title of the goal it serves, or "" (the site's plan shows it; the page has no room)


@dataclass(frozen=True)
class Attendee:
    name: str
    title: str  # a stakeholder's title or a team member's role
    ours: bool  # on our side of the table


@dataclass(frozen=True)
class Internal:
    """What only our side may read: the customer's version of the brief leaves all of it out."""
    tier: str
    score: float
    watch: str  # "" when the account is on no watch list
    health: int
    health_grade: str
    stakeholders: Cut  # of MapEntry, the buying centre first


@dataclass(frozen=True)
class Brief:
    account_id: str
    name: str
    prepared: dt.date
    kam: str
    currency: str
    last_review: tuple[dt.date, str] | None  # date and title
    next_review: dt.date | None  # None: no cadence (a standard account)
    cadence_days: int | None
    overdue: bool
    attendees: tuple[Attendee, ...]
    attendees_from: dt.date | None  # the review the attendee list is taken from
    objectives: Cut  # of Objective
    kpis: tuple[KpiTrend, ...]
    actions: Cut  # of ActionLine
    asks: Cut  # of AskLine
    internal: Internal | None  # None in the customer's version: nothing of it exists there to print

    @property
    def kpi_dates(self) -> tuple[dt.date, ...]:
        """The reviews the KPI trend shows, oldest first: a row each on the page."""
        days = sorted({p.date for trend in self.kpis for p in trend.points})
        return tuple(days[-MOST_KPI_POINTS:])


def brief_of(account: Account, portfolio: Portfolio, criteria: CriteriaConfig, placed: AccountScore,
             today: dt.date) -> Brief:
    """The brief of `account` as of `today`, with its tier as the score stage placed it."""
    names = {p.id: p.name for p in portfolio.team}
    tier = placed.tier
    last = account.last_review
    cadence = tier.review_every_days if tier else None
    due = account.next_review_due(cadence) if cadence else None
    grade = health(criteria, account, tier, today)
    return Brief(
        account_id=account.id,
        name=account.profile.name,
        prepared=today,
        kam=names.get(account.profile.owner, account.profile.owner),
        currency=account.profile.financials.currency,
        last_review=(last.meta.date, last.title) if last else None,
        next_review=due,
        cadence_days=cadence,
        overdue=cadence is not None and account.review_overdue(cadence, today),
        attendees=attendees(account, last, portfolio),
        attendees_from=last.meta.date if last else None,
        objectives=cut(objectives(account, names), MOST_OBJECTIVES),
        kpis=kpi_trends(account.reviews),
        actions=cut(action_lines(account, names, today), MOST_ACTIONS),
        asks=cut(ask_lines(account), MOST_ASKS),
        internal=Internal(placed.tier_name, placed.score, WATCH_LABELS.get(placed.watch or "", ""), grade.total,
                          grade.grade, cut(stakeholder_map(account), MOST_PEOPLE)),
    )


def customer_brief_of(account: Account, portfolio: Portfolio, placed: AccountScore, today: dt.date) -> Brief:
    """The customer's version, the agenda, built from what the account's files mark as shared and nothing
    else (an allowlist, as the joint plan is): shared goals with their readings, shared actions, shared asks,
    and the last review only when it is shared itself. No KPIs, tier, cadence, health or stakeholder map: the
    record has no place that could carry them."""
    names = {p.id: p.name for p in portfolio.team}
    shared_goals = {g.id for g in account.goals if g.shared}
    last = account.last_review
    shown_last = last if last is not None and last.meta.shared else None
    tier = placed.tier
    return Brief(
        account_id=account.id,
        name=account.profile.name,
        prepared=today,
        kam=names.get(account.profile.owner, account.profile.owner),
        currency=account.profile.financials.currency,
        last_review=(shown_last.meta.date, shown_last.title) if shown_last else None,
        next_review=account.next_review_due(tier.review_every_days) if tier else None,
        cadence_days=None,
        overdue=False,
        attendees=attendees(account, shown_last, portfolio, team_roles=False),
        attendees_from=shown_last.meta.date if shown_last else None,
        objectives=cut(objectives(account, names, only=shared_goals), MOST_OBJECTIVES),
        kpis=(),
        actions=cut(action_lines(account, names, today, shared_only=True), MOST_ACTIONS),
        asks=cut(ask_lines(account, shared_only=True), MOST_ASKS),
        internal=None,
    )


def readings(reviews: tuple[Review, ...], goal_id: str) -> tuple[tuple[dt.date, float], ...]:
    return tuple((r.meta.date, r.meta.measures[goal_id]) for r in reviews if goal_id in r.meta.measures)


def objectives(account: Account, names: dict[str, str], only: set[str] | None = None) -> list[Objective]:
    """The goals still in play (not dropped), open ones first by due date, each measure with its change
    since the latest review that read it; `only`: these goal ids and no others."""
    found = []
    chosen = (g for g in account.goals if g.status != "dropped" and (only is None or g.id in only))
    goals = sorted(chosen, key=lambda g: (not g.is_open, g.due))
    for g in goals:
        measure = g.measure
        read = readings(account.reviews, g.id) if measure else ()
        since, before = read[-1] if read else (None, None)
        now = measure.current if measure else None
        found.append(Objective(g.title, g.status, g.due, names.get(g.owner, g.owner),
                               measure.metric if measure else None, now, measure.target if measure else None,
                               read, since, delta(now, before)))
    return found


def kpi_trends(reviews: tuple[Review, ...]) -> tuple[KpiTrend, ...]:
    """Each KPI over the reviews that recorded it, each point with its change against the one before;
    a KPI no review recorded is left out."""
    trends = []
    for kpi in KPIS:
        if kpi.field not in BRIEF_KPIS:
            continue
        values = [(r.meta.date, getattr(r.meta.kpis, kpi.field)) for r in reviews]
        recorded = [(day, value) for day, value in values if value is not None]
        points = [KpiPoint(day, value, delta(value, recorded[i - 1][1]) if i else None)
                  for i, (day, value) in enumerate(recorded)]
        if points:
            trends.append(KpiTrend(kpi.name, kpi.money, tuple(points[-MOST_KPI_POINTS:])))
    return tuple(trends)


def action_status(tracked: TrackedAction, today: dt.date) -> str:
    return "late" if tracked.past_due(today) else tracked.action.status


def action_lines(account: Account, names: dict[str, str], today: dt.date, shared_only: bool = False) -> list[ActionLine]:
    """What the next review follows up: every action still open, wherever it was agreed, and those the
    last review closed; open ones first, the latest due last. `shared_only`: the actions whose latest
    mention shares them with the customer."""
    last = account.last_review
    chosen = [t for t in account.actions if (t.is_open or t.latest is last) and (t.action.shared or not shared_only)]
    chosen.sort(key=lambda t: (not t.is_open, t.action.due))
    return [ActionLine(t.action.title, names.get(t.action.owner, t.action.owner), t.action.due,
                       action_status(t, today), t.agreed.meta.date) for t in chosen]


def ask_lines(account: Account, shared_only: bool = False) -> list[AskLine]:
    if account.plan is None:
        return []
    goals = {g.id: g.title for g in account.goals if g.shared or not shared_only}
    found = []
    for ask in account.plan.asks:
        if shared_only and not ask.shared:
            continue
        person = account.stakeholder(ask.of) if ask.of else None
        found.append(AskLine(ask.ask, f"{person.name}, {person.title}" if person else "",
                             goals.get(ask.goal or "", "")))
    return found


def attendees(account: Account, review: Review | None, portfolio: Portfolio,
              team_roles: bool = True) -> tuple[Attendee, ...]:
    """Who came to `review` (the last one): the customer's people first, in the order written; our people
    with their role on the account team, else (with `team_roles`) their role in team.yml."""
    if review is None:
        return ()
    roles = {m.person: m.role for m in account.profile.team}
    theirs, ours = [], []
    for person_id in review.meta.attendees:
        stakeholder = account.stakeholder(person_id)
        person = portfolio.team_by_id.get(person_id)
        if stakeholder is not None:
            theirs.append(Attendee(stakeholder.name, stakeholder.title, False))
        elif person is not None:
            ours.append(Attendee(person.name, roles.get(person_id, person.role if team_roles else ""), True))
    return tuple(theirs + ours)


def stakeholder_map(account: Account) -> list[MapEntry]:
    """The buying centre by role (deciders first), then by influence: who to see and how they lean."""
    influence = {"high": 0, "medium": 1, "low": 2}
    people = sorted(account.stakeholders, key=lambda s: (ROLE_ORDER.index(s.role), influence[s.influence], s.name))
    tones = {"detractor": "warn", "skeptic": "warn", "advocate": "good", "supporter": "good"}
    return [MapEntry(s.role, s.name, s.title, s.influence, s.sentiment, tones.get(s.sentiment, "plain")) for s in people]


def brief_in(validated: Validated, account_id: str, today: dt.date, customer: bool = False) -> Brief:
    """The brief of one account of a checked repository: a usage error for an account that does not exist,
    the errors themselves when the files have any (a brief is never made from half-read files)."""
    if account_id not in validated.portfolio.accounts_by_id:
        known = validated.portfolio.accounts_by_id
        raise KamError(f"no account '{account_id}'{suggest(account_id, known)}", exit_code=ExitCode.USAGE)
    if validated.scores is None or has_errors(validated.diagnostics):
        raise KamError("fix the errors above first (run `kam validate`)",
                       diagnostics=[d for d in validated.diagnostics if d.severity is Severity.ERROR])
    scores = validated.scores
    placed = scores.by_account.get(account_id)
    if placed is None:
        raise KamError(f"account '{account_id}' is not scored, so it has no tier and no review cadence yet",
                       exit_code=ExitCode.USAGE)
    account = validated.portfolio.accounts_by_id[account_id]
    if customer:
        return customer_brief_of(account, validated.portfolio, placed, today)
    return brief_of(account, validated.portfolio, scores.criteria, placed, today)
