"""What a change does to the portfolio: scores, tiers, plan health and diagnostics, per account.

Both sides are read by the same pipeline (`check`), so every figure is the one `kam validate`,
`kam score` and the site show. A change to criteria.yml is told apart from the accounts' own
edits by scoring the new accounts under the old criteria: a tier that moves only there moved
because of the criteria.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from ..analysis.analytics import analyse
from ..core.diagnostics import Diagnostic
from ..core.model import Account, CriteriaConfig, Portfolio
from ..scoring.check import Validated
from ..scoring.score import score_portfolio


@dataclass(frozen=True)
class CriterionMove:
    criterion: str
    before: float
    after: float
    why: str


@dataclass(frozen=True)
class AccountChange:
    id: str
    name: str
    status: str  # "added", "removed", "renamed", "changed"
    previous_id: str | None = None  # for a renamed folder
    score_before: float | None = None
    score_after: float | None = None
    tier_before: str | None = None
    tier_after: str | None = None
    tier_by_criteria_alone: bool = False  # the account's files did not change; criteria.yml did
    health_before: int | None = None
    health_after: int | None = None
    criteria: list[CriterionMove] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # stakeholders, goals, reviews in words


@dataclass(frozen=True)
class PortfolioDiff:
    base: str
    head: str
    criteria_changed: list[str]
    accounts: list[AccountChange]
    introduced: list[str]  # diagnostics the change adds, as `kam validate` prints them
    fixed: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def diff(base: Validated, head: Validated, today: dt.date, base_name: str, head_name: str) -> PortfolioDiff:
    criteria_changed = criteria_changes(base.portfolio.criteria, head.portfolio.criteria)
    moved_by_criteria = _tiers_under_base_criteria(base, head)
    before = _figures(base, today)
    after = _figures(head, today)
    old = base.portfolio.accounts_by_id
    new = head.portfolio.accounts_by_id
    renamed = renames(old, new)
    changes = []
    for account_id in sorted(set(old) | set(new)):
        if account_id in renamed:
            continue  # a folder that moved: reported under its new id
        if account_id not in old:
            previous = next((o for o, n in renamed.items() if n == account_id), None)
            status = "renamed" if previous else "added"
            changes.append(_change(account_id, new[account_id], status, old.get(previous) if previous else None,
                                   before.get(previous) if previous else None, after.get(account_id),
                                   previous, moved_by_criteria))
        elif account_id not in new:
            changes.append(AccountChange(account_id, old[account_id].profile.name, "removed",
                                         score_before=before.get(account_id, (None,) * 3)[0],
                                         tier_before=before.get(account_id, (None,) * 3)[1]))
        else:
            change = _change(account_id, new[account_id], "changed", old[account_id], before.get(account_id),
                             after.get(account_id), None, moved_by_criteria)
            if change is not None:
                changes.append(change)
    return PortfolioDiff(base_name, head_name, criteria_changed, [c for c in changes if c is not None],
                         _lines(head.diagnostics, base.diagnostics), _lines(base.diagnostics, head.diagnostics))


def _figures(validated: Validated, today: dt.date) -> dict[str, tuple]:
    """Score, tier name and plan health of every scored account."""
    if validated.scores is None:
        return {}
    health = analyse(validated.portfolio, validated.scores, today).health
    return {a: (entry.score, entry.tier_name, health[a].total) for a, entry in validated.scores.by_account.items()}


def renames(old: Mapping[str, Account], new: Mapping[str, Account]) -> dict[str, str]:
    """Accounts renamed (old id -> new id): gone from one id and arrived at another under the
    same name. The one rule for `kam diff` and the history alike: two states of the files are
    all either has (a diff may compare uncommitted work, where git has no rename to report)."""
    gone = {a.profile.name: i for i, a in old.items() if i not in new}
    return {gone[a.profile.name]: i for i, a in new.items() if i not in old and a.profile.name in gone}


def _change(account_id, account, status, previous, before, after, previous_id, moved_by_criteria):
    before = before or (None, None, None)
    after = after or (None, None, None)
    moves = criterion_moves(previous, account) if previous else []
    notes = account_notes(previous, account) if previous else []
    same_files = previous is not None and _same(previous, account)
    if status == "changed" and before == after and not moves and not notes:
        return None
    return AccountChange(account_id, account.profile.name, status, previous_id, before[0], after[0], before[1],
                         after[1], same_files and before[1] != after[1] and account_id in moved_by_criteria,
                         before[2], after[2], moves, notes)


def _same(a: Account, b: Account) -> bool:
    return (a.profile, a.stakeholders, a.goals) == (b.profile, b.stakeholders, b.goals) and \
        [r.meta for r in a.reviews] == [r.meta for r in b.reviews]


def criterion_moves(old: Account, new: Account) -> list[CriterionMove]:
    moves = []
    for criterion, entry in new.profile.scores.items():
        was = old.profile.scores.get(criterion)
        if was is not None and was.score != entry.score:
            moves.append(CriterionMove(criterion, was.score, entry.score, entry.why))
    return moves


def account_notes(old: Account, new: Account) -> list[str]:
    notes = []
    old_people = {s.id: s for s in old.stakeholders}
    new_people = {s.id: s for s in new.stakeholders}
    notes += [f"new stakeholder {s.name}" for i, s in new_people.items() if i not in old_people]
    notes += [f"stakeholder {s.name} removed" for i, s in old_people.items() if i not in new_people]
    notes += [f"{s.name}: {old_people[i].sentiment} → {s.sentiment}" for i, s in new_people.items()
              if i in old_people and old_people[i].sentiment != s.sentiment]
    old_goals = {g.id: g for g in old.goals}
    new_goals = {g.id: g for g in new.goals}
    notes += [f"new goal {g.title}" for i, g in new_goals.items() if i not in old_goals]
    notes += [f"goal {g.title} removed" for i, g in old_goals.items() if i not in new_goals]
    notes += [f"goal {g.title}: {old_goals[i].status.replace('_', ' ')} → {g.status.replace('_', ' ')}"
              for i, g in new_goals.items() if i in old_goals and old_goals[i].status != g.status]
    old_reviews = {r.slug for r in old.reviews}
    notes += [f"new review {r.meta.date} ({r.meta.type})" for r in new.reviews if r.slug not in old_reviews]
    return notes


def criteria_changes(a: CriteriaConfig | None, b: CriteriaConfig | None) -> list[str]:
    """What moved between two versions of criteria.yml, in words."""
    if a is None or b is None or a == b:
        return []
    changes = []
    old_weights = {c.id: c.weight for c in a.criteria}
    for c in b.criteria:
        if c.id not in old_weights:
            changes.append(f"new criterion {c.id} (weight {c.weight:g})")
        elif old_weights[c.id] != c.weight:
            changes.append(f"weight of {c.id}: {old_weights[c.id]:g} → {c.weight:g}")
    changes += [f"criterion {i} removed" for i in old_weights if i not in {c.id for c in b.criteria}]
    old_tiers = {t.id: t for t in a.tiers}
    for t in b.tiers:
        was = old_tiers.get(t.id)
        if was and was.min_score != t.min_score:
            changes.append(f"{t.name} threshold: {was.min_score:g} → {t.min_score:g}")
        if was and was.review_every_days != t.review_every_days:
            changes.append(f"{t.name} review cadence: {was.review_every_days} → {t.review_every_days} days")
    if a.plan != b.plan or [t.required_sections for t in a.tiers] != [t.required_sections for t in b.tiers]:
        changes.append("required plan sections changed")
    return changes or ["criteria.yml changed"]


def _tiers_under_base_criteria(base: Validated, head: Validated) -> set[str]:
    """Accounts whose tier under the new criteria differs from their tier under the old ones."""
    old_criteria, new_criteria = base.portfolio.criteria, head.portfolio.criteria
    if head.scores is None or old_criteria is None or old_criteria == new_criteria or base.scores is None:
        return set()
    try:
        under_old = score_portfolio(Portfolio(old_criteria, head.portfolio.team, head.portfolio.accounts))
    except (KeyError, ValueError):  # the accounts no longer fit the old criteria at all
        return set()
    old_tiers = under_old.table["tier"]
    new_tiers = head.scores.table["tier"]
    return {a for a in new_tiers.index if a in old_tiers.index and old_tiers[a] != new_tiers[a]}


def _lines(these: tuple[Diagnostic, ...], those: tuple[Diagnostic, ...]) -> list[str]:
    """Diagnostics in `these` and not in `those`, compared without line numbers (edits shift them)."""
    from ..core.diagnostics import format_text

    key = lambda d: (d.path, d.code, d.message)  # noqa: E731
    other = {key(d) for d in those}
    return [format_text(d) for d in these if key(d) not in other]


