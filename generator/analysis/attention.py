"""The attention model: what someone should act on, computed once for every page and command.

One function per kind of item, each reading the rule of its kind from the model (an action's
lifecycle, the contact staleness rule, the review cadence, the buying centre, the watch lists):
the home page, the person pages, the reviews pages, `kam validate`'s dated warnings and `kam
digest` all read the same items. Every item has one urgency, and the list one order: late first
(the longest late first), then due soon, then risks, then the tier watch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..core.model import BUYING_CENTRE, HORIZONS, Account, ContactRules, CriteriaConfig, Portfolio, Tier
from ..core.refs import Ref
from ..scoring.placement import AccountScore
from ..scoring.score import Scores

DUE_SOON_DAYS = 14  # an action, goal or review due within this many days is listed already
URGENCIES = ("late", "due", "risk", "watch")  # most urgent first
RISKY_SENTIMENTS = frozenset({"skeptic", "detractor"})
DECIDERS = frozenset({"economic_buyer", "decision_maker"})


@dataclass(frozen=True)
class Attention:
    """Something a person should act on, with who and where."""
    kind: str  # action, review, renewal, goal, contact, relationship, plan, at_risk, promotion
    account_id: str
    owner: str  # who acts: the KAM, or the action's, goal's or relationship's owner
    what: str
    due: dt.date | None
    urgency: str  # one of URGENCIES
    about: Ref  # what to open: the account, a goal, a stakeholder or a review (the site finds its page)
    days_late: int = 0

    @property
    def late(self) -> bool:
        return self.urgency == "late"

    @property
    def order(self) -> tuple[int, int, dt.date, str, str]:
        return (URGENCIES.index(self.urgency), -self.days_late, self.due or dt.date.max, self.account_id, self.what)


# What each kind is called in the counts line, singular and plural.
KIND_WORDS = {
    "action": ("late action", "late actions"), "review": ("review due", "reviews due"),
    "renewal": ("renewal without executive review", "renewals without executive review"),
    "goal": ("goal needing attention", "goals needing attention"), "contact": ("stale contact", "stale contacts"),
    "relationship": ("relationship risk", "relationship risks"), "plan": ("plan gap", "plan gaps"),
    "at_risk": ("account at risk", "accounts at risk"), "promotion": ("promotion candidate", "promotion candidates"),
}


def _timing(late: bool, due: dt.date, today: dt.date) -> tuple[str, int] | None:
    """Late by the model's rule of the kind (`late`), else due within DUE_SOON_DAYS, else nothing."""
    if late:
        return "late", max((today - due).days, 0)
    if due <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due", 0
    return None


def action_items(account: Account, today: dt.date) -> Iterator[Attention]:
    """Open actions late or due soon, wherever they were agreed (Account.actions: open until closed)."""
    for tracked in account.open_actions:
        action = tracked.action
        timing = _timing(tracked.past_due(today), action.due, today)
        if timing:
            yield Attention("action", account.id, action.owner, action.title, action.due, timing[0],
                            ("review", account.id, tracked.latest.slug), timing[1])


def review_items(account: Account, tier: Tier | None, today: dt.date) -> Iterator[Attention]:
    """A key account's next review, late, due soon or never held."""
    if tier is None:
        return
    last = account.last_review
    due = account.next_review_due(tier.review_every_days)
    about: Ref = ("review", account.id, last.slug) if last else ("account", account.id)
    if due is None:
        yield Attention("review", account.id, account.profile.owner, f"{tier.name} review never held", None, "late",
                        about)
        return
    timing = _timing(account.review_overdue(tier.review_every_days, today), due, today)
    if timing:
        words = "overdue" if timing[0] == "late" else "due soon"
        yield Attention("review", account.id, account.profile.owner, f"{tier.name} review {words}", due, timing[0],
                        about, timing[1])


def renewal_items(account: Account, tier: Tier | None, today: dt.date) -> Iterator[Attention]:
    """A key account's contract renewing within its review cadence (or renewed already) with no
    executive review since the current term began (Account.renewal_unprepared): late once the
    renewal date has passed, due until then, however far ahead the cadence reaches."""
    contract = account.profile.contract
    if tier is None or contract is None or not account.renewal_unprepared(tier.review_every_days, today):
        return
    left = contract.days_left(today)
    when = f"renews in {left} days" if left >= 0 else "renewal date passed"
    yield Attention("renewal", account.id, account.profile.owner,
                    f"contract {when}: no executive review since {contract.last_renewal.isoformat()}",
                    contract.renewal, "late" if left < 0 else "due", ("account", account.id), max(-left, 0))


def goal_items(account: Account, today: dt.date) -> Iterator[Attention]:
    """Open goals past due or due soon, and goals marked at risk."""
    for g in account.goals:
        if not g.is_open:
            continue
        timing = _timing(g.past_due(today), g.due, today)
        if timing or g.status == "at_risk":
            urgency, days = timing or ("risk", 0)
            yield Attention("goal", account.id, g.owner, f"{g.title} ({g.status.replace('_', ' ')})", g.due, urgency,
                            ("goal", account.id, g.id), days)


def contact_items(account: Account, contacts: ContactRules, today: dt.date, watched: bool) -> Iterator[Attention]:
    """On a key or watched account: a stale contact with a decider, the champion or a high-influence person."""
    if not watched:
        return
    for s in account.stakeholders:
        if (s.influence == "high" or s.role in DECIDERS or s.role in BUYING_CENTRE) and contacts.is_stale(s, today):
            seen = f"last contact {s.last_contact.isoformat()}" if s.last_contact else "never contacted"
            yield Attention("contact", account.id, s.relationship_owner, f"{s.name}, {s.title}: {seen}",
                            s.last_contact, "risk", ("stakeholder", account.id, s.id))


def relationship_items(account: Account, tier: Tier | None, today: dt.date, watched: bool) -> Iterator[Attention]:
    """A skeptic or detractor who decides, no champion, or a buying centre gone quiet for a cadence."""
    if not watched:
        return
    kam = account.profile.owner
    for s in account.stakeholders:
        if s.role in DECIDERS and s.sentiment in RISKY_SENTIMENTS:
            yield Attention("relationship", account.id, s.relationship_owner,
                            f"{s.name}, {s.title}, is a {s.sentiment} {s.role.replace('_', ' ')}", None, "risk",
                            ("stakeholder", account.id, s.id))
    if "champion" in account.missing_roles():
        yield Attention("relationship", account.id, kam, "no champion in the stakeholder map", None, "risk",
                        ("account", account.id))
    centre = [s for s in account.stakeholders if s.role in BUYING_CENTRE or s.role in DECIDERS]
    if tier is not None and centre and all(s.contact_stale(today, tier.review_every_days) for s in centre):
        yield Attention("relationship", account.id, kam,
                        f"no contact with the buying centre in {tier.review_every_days} days", None, "risk",
                        ("account", account.id))


def plan_items(account: Account, criteria: CriteriaConfig, tier: Tier | None) -> Iterator[Attention]:
    """A key account's plan: required sections missing or still a prompt, a goal horizon with no goal."""
    if tier is None:
        return
    kam = account.profile.owner
    written = account.plan.written_titles if account.plan else frozenset()
    missing = [s for s in criteria.sections_for(tier) if s.casefold() not in written]
    if missing:
        yield Attention("plan", account.id, kam, "plan sections not written: " + ", ".join(missing), None, "risk",
                        ("plan", account.id))
    horizons = [h for h in HORIZONS if h not in account.covered_horizons()]
    if horizons:
        yield Attention("plan", account.id, kam, "no goal for the " + ", ".join(horizons) + " term", None, "risk",
                        ("goal", account.id, ""))


def watch_items(account: Account, entry: AccountScore) -> Iterator[Attention]:
    """The tier watch (internal): on the demotion watch, with what would demote it; close to promotion."""
    kam = account.profile.owner
    if entry.watch == "at_risk" and entry.tier is not None:
        yield Attention("at_risk", account.id, kam, f"score {entry.score:.2f}, {entry.demotion_in_words} (internal)",
                        None, "watch", ("account", account.id))
    elif entry.watch == "promotion" and entry.next_tier is not None:
        yield Attention("promotion", account.id, kam, f"score {entry.score:.2f}, {entry.gap:.2f} below "
                        f"{entry.next_tier.name}: {entry.move_in_words}", None, "watch", ("account", account.id))


def account_items(account: Account, scores: Scores, today: dt.date) -> list[Attention]:
    """Every item of one account."""
    entry = scores.by_account.get(account.id)
    if entry is None:  # not scored (its own errors say why): nothing is judged by tier
        return []
    criteria, tier = scores.criteria, entry.tier
    watched = tier is not None or entry.watch is not None
    return [*action_items(account, today), *review_items(account, tier, today),
            *renewal_items(account, tier, today), *goal_items(account, today),
            *contact_items(account, criteria.contacts, today, watched),
            *relationship_items(account, tier, today, watched), *plan_items(account, criteria, tier),
            *watch_items(account, entry)]


def attention(portfolio: Portfolio, scores: Scores, today: dt.date) -> tuple[Attention, ...]:
    """Every item of the portfolio, most urgent first."""
    items = [item for account in portfolio.accounts for item in account_items(account, scores, today)]
    return tuple(sorted(items, key=lambda item: item.order))


@dataclass(frozen=True)
class Count:
    kind: str
    n: int
    late: int = 0  # of them, how many are late (actions: the rest fall due within two weeks)

    @property
    def words(self) -> str:
        one, many = KIND_WORDS[self.kind]
        if self.kind == "action" and self.late < self.n:
            due = f"{self.n:,} action{'' if self.n == 1 else 's'} due soon"
            return due if not self.late else f"{due} ({self.late:,} late)"
        return f"{self.n:,} {one if self.n == 1 else many}"


def counts(items: Iterable[Attention]) -> tuple[Count, ...]:
    """The counts line, in the order of KIND_WORDS."""
    found = {kind: [0, 0] for kind in KIND_WORDS}
    for item in items:
        found[item.kind][0] += 1
        found[item.kind][1] += item.late
    return tuple(Count(kind, n, late) for kind, (n, late) in found.items() if n)


def morning_rows(items: tuple[Attention, ...], first: int = 15, per_person: int = 3,
                 kam_of: dict[str, str] | None = None) -> tuple[tuple[Attention, ...], tuple[Attention, ...]]:
    """What the home page carries: the `first` most urgent items, and for every person (who acts, or
    the account's KAM) their `per_person` most urgent beyond those, so that a reader who filters to
    themselves ("mine") still sees their own first rows, while the page stays small at any size."""
    shown = items[:first]
    taken = set(shown)
    extra: list[Attention] = []
    by_person: dict[str, int] = {}
    for item in items[first:]:
        people = {item.owner, (kam_of or {}).get(item.account_id, item.owner)}
        if any(by_person.get(p, 0) < per_person for p in people) and item not in taken:
            extra.append(item)
            taken.add(item)
            for p in people:
                by_person[p] = by_person.get(p, 0) + 1
    return shown, tuple(extra)
