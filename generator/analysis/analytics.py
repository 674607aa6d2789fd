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
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.model import HORIZONS, Account, CriteriaConfig, CurrencyRules, Portfolio, Tier
from ..scoring.placement import CANDIDATE, STANDARD
from ..scoring.score import Scores, key_accounts

CONTACT_RECENCY_DAYS = 90
DUE_SOON_DAYS = 14  # a review due within this many days is on the attention list already
HEALTH_PARTS = ("Plan sections", "Review cadence", "Goals", "Decision maker and champion", "Contact recency")


@dataclass(frozen=True)
class HealthPart:
    name: str
    value: float  # 0..1
    detail: str


@dataclass(frozen=True)
class Health:
    total: int  # 0..100, the parts weighted equally
    parts: tuple[HealthPart, ...]


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


KPIS = (Kpi("satisfaction", "Satisfaction", "Satisfaction", scale=(1, 10)),
        Kpi("revenue", "Revenue", "Revenue", money=True),
        Kpi("retention_pct", "Retention %", "Retention", scale=(0, 100)),
        Kpi("nps", "NPS", "NPS", scale=(-100, 100)))


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
class Attention:
    """Something a person should act on, with who and where: the first thing the site shows."""
    kind: str  # "at_risk", "promotion", "review", "goal", "action", "contact"
    account_id: str
    owner: str  # who acts: the KAM, or the goal's, action's or relationship's owner
    what: str
    due: dt.date | None
    late: bool
    page: str  # the account sub-page it is on: "index", "goals", "stakeholders" or a review slug
    anchor: str = ""


ATTENTION_ORDER = ("at_risk", "review", "action", "goal", "contact", "promotion")


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
    attention: tuple[Attention, ...]  # most urgent kind first, then by date

    def attention_for(self, person_id: str) -> tuple[Attention, ...]:
        return tuple(item for item in self.attention if item.owner == person_id)

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
    cadence_days = (tier or criteria.tiers[-1]).review_every_days
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
    on_time = sum(1 for g in open_goals if not g.past_due(today))
    horizons = account.covered_horizons()
    goal_value = (len(horizons) / len(HORIZONS) + (on_time / len(open_goals) if open_goals else 1.0)) / 2
    parts.append(HealthPart(HEALTH_PARTS[2], goal_value if account.goals else 0.0,
                            f"{len(horizons)} of 3 horizons covered, {on_time} of {len(open_goals)} open goals on time"))
    roles = {s.role for s in account.stakeholders}
    mapped = ("decision_maker" in roles) + ("champion" in roles)
    parts.append(HealthPart(HEALTH_PARTS[3], mapped / 2,
                            ", ".join(f"{r.replace('_', ' ')} {'mapped' if r in roles else 'missing'}"
                                      for r in ("decision_maker", "champion"))))
    recent = sum(1 for s in account.stakeholders
                 if s.last_contact and (today - s.last_contact).days <= CONTACT_RECENCY_DAYS)
    total = len(account.stakeholders)
    parts.append(HealthPart(HEALTH_PARTS[4], recent / total if total else 0.0,
                            f"{recent} of {total} stakeholders contacted in the last {CONTACT_RECENCY_DAYS} days"))
    score = round(100 * sum(p.value for p in parts) / len(parts))
    return Health(score, tuple(parts))


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


def revenue_views(portfolio: Portfolio, tier_of: pd.Series, order: list[str],
                  rules: CurrencyRules | None) -> tuple[RevenueView, ...]:
    """One view per currency that remains after conversion, largest total first."""
    ids = [a.id for a in portfolio.accounts]
    original = pd.Series([a.profile.financials.currency for a in portfolio.accounts], index=ids, dtype=object)
    amounts = pd.Series([a.profile.financials.annual_revenue for a in portfolio.accounts], index=ids, dtype=float)
    revenue, currency = to_reporting_currency(amounts, original, rules)
    views = []
    for code in sorted(set(currency)):
        members = currency.index[currency == code]
        frame = pd.DataFrame({"tier": tier_of[members], "revenue": revenue[members]})
        by_tier = frame.groupby("tier")["revenue"].agg(["count", "sum"]).reindex(order, fill_value=0)
        by_tier = by_tier.rename(columns={"count": "accounts", "sum": "annual_revenue"})
        total = float(frame["revenue"].sum())
        by_tier["revenue_share"] = by_tier["annual_revenue"] / total if total else 0.0
        share, curve = pareto(frame["revenue"])
        converted = tuple(sorted(set(original[members]) - {code}))
        views.append(RevenueView(code, converted, frame["revenue"], by_tier, total, share, curve))
    return tuple(sorted(views, key=lambda v: (-v.total, v.currency)))


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
        for action in account.latest_actions:
            if action.past_due(today):
                actions.append(FollowUp(account.id, action.owner, action.title, action.due, last.path, True))

    ids = pd.Index([a.id for a in portfolio.accounts], dtype=object)
    tier_of = scores.table["tier"].reindex(ids).fillna(STANDARD)
    order = [t.id for t in criteria.tiers] + [STANDARD] + ([CANDIDATE] if (tier_of == CANDIDATE).any() else [])
    by_tier = tier_of.value_counts().reindex(order, fill_value=0).rename("accounts").to_frame()
    scored = len(scores.table)
    key_share = float(key_accounts(scores.table["tier"]).sum() / scored) if scored else 0.0
    views = revenue_views(portfolio, tier_of, order, criteria.currency)
    return Analytics(today, healths, kpis, review_due, by_tier, key_share, views,
                     by_owner(overdue), by_owner(at_risk), by_owner(actions),
                     attention_list(portfolio, scores, today))


def attention_list(portfolio: Portfolio, scores: Scores, today: dt.date) -> tuple[Attention, ...]:
    """What needs action, each with who and where, from the same rules validation uses."""
    items: list[Attention] = []
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    for account in portfolio.accounts:
        entry = scores.by_account.get(account.id)
        if entry is None:
            continue
        kam = account.profile.owner
        if entry.watch == "at_risk":
            items.append(Attention("at_risk", account.id, kam, f"score {entry.score:.2f}, "
                                   f"{entry.score - entry.tier.min_score:.2f} above the {entry.tier.name} floor (internal)",
                                   None, True, "index"))
        elif entry.watch == "promotion":
            items.append(Attention("promotion", account.id, kam, f"score {entry.score:.2f}, {entry.gap:.2f} below "
                                   f"{entry.next_tier.name}", None, False, "index"))
        tier = entry.tier
        if tier is not None:
            due = account.next_review_due(tier.review_every_days)
            late = account.review_overdue(tier.review_every_days, today)
            if late or due <= soon:
                last = account.last_review
                what = f"{tier.name} review " + ("never held" if due is None else "overdue" if late else "due soon")
                items.append(Attention("review", account.id, kam, what, due, late, last.slug if last else "index"))
            for s in account.stakeholders:
                if s.influence == "high" and s.contact_stale(today, tier.review_every_days):
                    last_seen = f"last contact {s.last_contact.isoformat()}" if s.last_contact else "never contacted"
                    items.append(Attention("contact", account.id, s.relationship_owner, f"{s.name}, {s.title}: {last_seen}",
                                           s.last_contact, True, "stakeholders", s.id))
        for g in account.goals:
            if g.needs_attention(today):
                items.append(Attention("goal", account.id, g.owner, f"{g.title} ({g.status.replace('_', ' ')})",
                                       g.due, g.past_due(today), "goals", g.id))
        for action in account.latest_actions:
            if action.past_due(today):
                items.append(Attention("action", account.id, action.owner, action.title, action.due, True,
                                       account.last_review.slug))
    rank = {kind: i for i, kind in enumerate(ATTENTION_ORDER)}
    return tuple(sorted(items, key=lambda a: (rank[a.kind], a.due or dt.date.min, a.account_id, a.what)))
