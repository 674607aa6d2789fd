"""Portfolio analytics: plan health, review KPIs, revenue concentration, follow-ups.

Plan health is deliberately separate from the selection score: the score says how much an
account matters, health says how well we are looking after it. They are never mixed.

Revenue is never added across currencies. With `currency: {base, rates}` in criteria.yml every
figure is converted to the base and the portfolio has one revenue view; without it there is one
view per currency. The arithmetic here needs no guards beyond empty portfolios: validation
bounds every figure (finite, revenue at most 1e15, cadences at most 3650 days).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.model import (
    BUYING_CENTRE,
    HORIZONS,
    NPS_RANGE,
    RETENTION_RANGE,
    SATISFACTION_RANGE,
    Account,
    ContactRules,
    CriteriaConfig,
    CurrencyRules,
    Portfolio,
    Stakeholder,
    Tier,
)
from ..scoring.placement import STANDARD, Ladder
from ..scoring.score import Scores
from .attention import Attention, Count, attention, counts

HEALTH_PARTS = ("Plan sections", "Review cadence", "Goals", "Decision maker and champion", "Contact recency")
# Plan health in three grades, best first: the lowest total each grade starts at.
_HEALTH_PAGES = dict(zip(HEALTH_PARTS, ("plan", "reviews/index", "goals", "stakeholders", "stakeholders"), strict=True))
HEALTH_GRADES = (("good", 80), ("fair", 50), ("poor", 0))
# How each kind of attention item is flagged; the two watch lists ("at risk" is internal) are
# flagged with the same words wherever an account's watch status shows.
WATCH_LABELS = {"at_risk": "▼ At risk", "promotion": "▲ Promotion candidate"}
ATTENTION_LABELS = WATCH_LABELS | {"review": "Review", "renewal": "Renewal", "goal": "Goal", "action": "Action", "contact": "Contact",
                                   "relationship": "Relationship", "plan": "Plan"}


@dataclass(frozen=True)
class HealthPart:
    name: str
    value: float  # 0..1
    detail: str


@dataclass(frozen=True)
class Health:
    total: int  # 0..100, the parts weighted equally
    parts: tuple[HealthPart, ...]
    account_id: str = ""

    @property
    def missing(self) -> tuple[HealthPart, ...]:
        """The parts that keep the figure below 100: what the figure explains on hover and focus."""
        return tuple(p for p in self.parts if p.value < 1)

    @property
    def explanation(self) -> str:
        if not self.missing:
            return f"Plan health {self.total}: every part complete"
        return f"Plan health {self.total}: " + "; ".join(f"{p.name}, {p.detail}" for p in self.missing)

    @property
    def where(self) -> str:
        """The account page where the first missing part is fixed (the plan when nothing is missing)."""
        first = self.missing[0].name if self.missing else HEALTH_PARTS[0]
        return _HEALTH_PAGES[first]

    @property
    def grade(self) -> str:
        return next(grade for grade, floor in HEALTH_GRADES if self.total >= floor)


@dataclass(frozen=True)
class KpiPoint:
    date: dt.date
    review: str  # review slug
    satisfaction: float | None
    revenue: float | None
    retention_pct: float | None
    nps: float | None


@dataclass(frozen=True)
class Kpi:
    """A KPI a review records: where it lives on a KpiPoint and how pages name and show it."""
    field: str
    name: str
    column: str  # the heading of its column in the account's KPI table
    money: bool = False
    scale: tuple[float, float] | None = None  # the values the KPI can take: its chart never runs past them


KPIS = (Kpi("satisfaction", "Satisfaction", "Satisfaction", scale=SATISFACTION_RANGE),
        Kpi("revenue", "Revenue", "Revenue", money=True),
        Kpi("retention_pct", "Retention %", "Retention", scale=RETENTION_RANGE),
        Kpi("nps", "NPS", "NPS", scale=NPS_RANGE))


@dataclass(frozen=True)
class FollowUp:
    account_id: str
    owner: str
    what: str
    due: dt.date
    source: str  # repo path
    late: bool  # past its due date, by the rule of its kind (goal, action, review cadence)


@dataclass(frozen=True)
class RevenueView:
    """Annual revenue in one currency: totals, shares and concentration among its accounts."""
    currency: str
    converted: tuple[str, ...]  # the currencies converted into this one at criteria.yml's rates
    revenue: pd.Series  # per account id, in `currency`
    tiers: pd.DataFrame  # per tier: accounts, annual_revenue, revenue_share
    total: float
    pareto_share: float  # share of revenue from the top 20% of accounts
    pareto_curve: tuple[tuple[float, float], ...]  # (share of accounts, cumulative share of revenue)


@dataclass(frozen=True)
class Analytics:
    today: dt.date
    health: dict[str, Health]
    kpis: dict[str, tuple[KpiPoint, ...]]
    review_due: dict[str, dt.date | None]  # when each key account's next review is due
    tiers: pd.DataFrame  # per tier: accounts
    key_share: float
    revenue: tuple[RevenueView, ...]  # one per currency, largest first; one when rates are declared
    overdue_reviews: tuple[FollowUp, ...]
    goals_at_risk: tuple[FollowUp, ...]
    actions_past_due: tuple[FollowUp, ...]
    attention: tuple[Attention, ...]  # the attention model (attention.py), most urgent first
    contacts: ContactRules
    reported: pd.DataFrame  # per account id: revenue and currency, converted as the views are

    def contact_stale(self, stakeholder: Stakeholder) -> bool:
        return self.contacts.is_stale(stakeholder, self.today)

    def revenue_totals(self, account_ids: Iterable[str]) -> tuple[tuple[str, float], ...]:
        """Annual revenue of a group of accounts, converted as the portfolio's views are: one
        (currency, total) per currency left after conversion, largest first."""
        members = self.reported.loc[list(account_ids)]
        return revenue_totals(members["revenue"], members["currency"])

    def attention_for(self, person_id: str) -> tuple[Attention, ...]:
        return tuple(item for item in self.attention if item.owner == person_id)

    @cached_property
    def attention_counts(self) -> tuple[Count, ...]:
        return counts(self.attention)

    def review_overdue(self, account_id: str) -> bool:
        """Whether a key account's review is overdue (standard accounts have no cadence)."""
        return account_id in self._overdue_ids

    @cached_property
    def _overdue_ids(self) -> frozenset[str]:  # every table row asks: one set, not a scan per row
        return frozenset(f.account_id for f in self.overdue_reviews)

    def kpi_change(self, account_id: str, field: str) -> tuple[float | None, float | None]:
        """The latest value of a KPI and its change since the review before."""
        values = [getattr(p, field) for p in self.kpis.get(account_id, ()) if getattr(p, field) is not None]
        if not values:
            return None, None
        return values[-1], (values[-1] - values[-2] if len(values) > 1 else None)


def health(criteria: CriteriaConfig, account: Account, tier: Tier | None, today: dt.date) -> Health:
    """Plan health on `today`; a standard account is held to the lowest tier's review cadence."""
    cadence_days = (tier or Ladder.of(criteria).lowest).review_every_days
    required = criteria.sections_for(tier)
    present = account.plan.written_titles if account.plan else frozenset()
    done = sum(1 for s in required if s.casefold() in present)
    parts = [HealthPart(HEALTH_PARTS[0], done / len(required) if required else 1.0,
                        f"{done} of {len(required)} required sections written")]
    last = account.last_review
    age = (today - last.meta.date).days if last else None
    parts.append(HealthPart(HEALTH_PARTS[1], 0.0 if account.review_overdue(cadence_days, today) else 1.0,
                            "never reviewed" if age is None else f"last review {age} days ago (every {cadence_days})"))
    open_goals = [g for g in account.goals if g.is_open]
    on_time = sum(1 for g in open_goals if not g.past_due(today) and g.status != "at_risk")  # at risk is not on time
    horizons = account.covered_horizons()
    goal_value = (len(horizons) / len(HORIZONS) + (on_time / len(open_goals) if open_goals else 1.0)) / 2
    parts.append(HealthPart(HEALTH_PARTS[2], goal_value if account.goals else 0.0,
                            f"{len(horizons)} of 3 horizons covered, {on_time} of {len(open_goals)} open goals on time"))
    missing = account.missing_roles()
    parts.append(HealthPart(HEALTH_PARTS[3], 1 - len(missing) / len(BUYING_CENTRE),
                            ", ".join(f"{r.replace('_', ' ')} {'missing' if r in missing else 'mapped'}"
                                      for r in BUYING_CENTRE)))
    contacts = criteria.contacts
    recent = sum(1 for s in account.stakeholders if not contacts.is_stale(s, today))
    total = len(account.stakeholders)
    parts.append(HealthPart(HEALTH_PARTS[4], recent / total if total else 0.0,
                            f"{recent} of {total} stakeholders contacted in the last {contacts.stale_after_days} days"))
    score = round(100 * sum(p.value for p in parts) / len(parts))
    return Health(score, tuple(parts), account.id)


def kpi_series(account: Account) -> tuple[KpiPoint, ...]:
    return tuple(KpiPoint(r.meta.date, r.slug, r.meta.satisfaction, r.meta.kpis.revenue,
                          r.meta.kpis.retention_pct, r.meta.kpis.nps) for r in account.reviews)


def pareto(revenue: pd.Series) -> tuple[float, tuple[tuple[float, float], ...]]:
    """Share of revenue from the top 20% of accounts (at least one), and the whole curve."""
    ordered = revenue.sort_values(ascending=False).to_numpy(dtype=float)
    total = ordered.sum()
    if len(ordered) == 0 or total <= 0:
        return 0.0, ()
    cumulative = np.cumsum(ordered) / total
    top = max(1, math.ceil(0.2 * len(ordered)))
    curve = tuple((round((i + 1) / len(ordered), 4), round(float(c), 4)) for i, c in enumerate(cumulative))
    return float(cumulative[top - 1]), ((0.0, 0.0),) + curve


def to_reporting_currency(revenue: pd.Series, currency: pd.Series,
                          rules: CurrencyRules | None) -> tuple[pd.Series, pd.Series]:
    """Revenue and its currency, converted to the base where criteria.yml declares a rate."""
    if rules is None:
        return revenue, currency
    rate = currency.map({rules.base: 1.0} | dict(rules.rates)).astype(float)
    known = rate.notna()  # validation refuses the others (E406); never add them to the base
    return revenue.where(~known, revenue * rate), currency.where(~known, rules.base)


def reported_revenue(portfolio: Portfolio, rules: CurrencyRules | None) -> pd.DataFrame:
    """Each account's annual revenue as every total reports it: converted to the base where
    criteria.yml declares a rate. Columns: revenue, currency, original (the account's own)."""
    ids = [a.id for a in portfolio.accounts]
    original = pd.Series([a.profile.financials.currency for a in portfolio.accounts], index=ids, dtype=object)
    amounts = pd.Series([a.profile.financials.annual_revenue for a in portfolio.accounts], index=ids, dtype=float)
    revenue, currency = to_reporting_currency(amounts, original, rules)
    return pd.DataFrame({"revenue": revenue, "currency": currency, "original": original})


def revenue_totals(revenue: pd.Series, currency: pd.Series) -> tuple[tuple[str, float], ...]:
    """(currency, total) per currency, largest first: the one way a sum of money is made, for
    the portfolio and for any group of its accounts. Never added across currencies."""
    totals = {code: math.fsum(revenue[currency == code]) for code in set(currency)}
    return tuple(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def revenue_views(reported: pd.DataFrame, tier_of: pd.Series, order: list[str]) -> tuple[RevenueView, ...]:
    """One view per currency that remains after conversion, largest total first."""
    revenue, currency = reported["revenue"], reported["currency"]
    views = []
    for code, total in revenue_totals(revenue, currency):
        members = currency.index[currency == code]
        frame = pd.DataFrame({"tier": tier_of[members], "revenue": revenue[members]})
        by_tier = frame.groupby("tier")["revenue"].agg(["count", "sum"]).reindex(order, fill_value=0)
        by_tier = by_tier.rename(columns={"count": "accounts", "sum": "annual_revenue"})
        by_tier["revenue_share"] = by_tier["annual_revenue"] / total if total else 0.0
        share, curve = pareto(frame["revenue"])
        converted = tuple(sorted(set(reported["original"][members]) - {code}))
        views.append(RevenueView(code, converted, frame["revenue"], by_tier, total, share, curve))
    return tuple(views)


def by_owner(items: list[FollowUp]) -> tuple[FollowUp, ...]:
    return tuple(sorted(items, key=lambda f: (f.owner, f.due, f.account_id)))


def analyse(portfolio: Portfolio, scores: Scores, today: dt.date) -> Analytics:
    criteria = scores.criteria
    healths, kpis, review_due = {}, {}, {}
    overdue, at_risk, actions = [], [], []
    for account in portfolio.accounts:
        tier = scores.tier_of(account.id)
        healths[account.id] = health(criteria, account, tier, today)
        kpis[account.id] = kpi_series(account)
        last = account.last_review
        if tier is not None:
            due = review_due[account.id] = account.next_review_due(tier.review_every_days)
            if account.review_overdue(tier.review_every_days, today):
                overdue.append(FollowUp(account.id, account.profile.owner,
                                        f"{tier.name} review" + (" (never held)" if due is None else ""),
                                        due or today, last.path if last else f"{account.dir}/account.yml", True))
        for g in account.goals:
            if g.needs_attention(today):
                at_risk.append(FollowUp(account.id, g.owner, g.title, g.due, f"{account.dir}/goals.yml",
                                        g.past_due(today)))
        for tracked in account.open_actions:  # open until a review closes it, wherever it was agreed
            if tracked.past_due(today):
                actions.append(FollowUp(account.id, tracked.action.owner, tracked.action.title, tracked.action.due,
                                        tracked.latest.path, True))

    ids = pd.Index([a.id for a in portfolio.accounts], dtype=object)
    tier_of = scores.table["tier"].reindex(ids).fillna(STANDARD)
    order = list(scores.ladder.shown(tier_of))
    by_tier = tier_of.value_counts().reindex(order, fill_value=0).rename("accounts").to_frame()
    reported = reported_revenue(portfolio, criteria.currency)
    return Analytics(today, healths, kpis, review_due, by_tier, scores.key_share, revenue_views(reported, tier_of, order),
                     by_owner(overdue), by_owner(at_risk), by_owner(actions),
                     attention(portfolio, scores, today), criteria.contacts, reported)
