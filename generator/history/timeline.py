"""How every account moved: its score, tier and plan health at each commit that could move them.

The commits come from `gitlog` (one `git log`, one `git cat-file`); each state is read by the
ordinary loader and schema, scored by the score stage and judged by the analytics' plan-health
rule on the commit's own date, so every figure is the one `kam score` gave at that commit.
Only what a commit touched is read again: the accounts whose files changed, or every account
when criteria.yml or team.yml changed. A change is told in words by the same functions as
`kam diff`, and each point says its cause, so a reweighting never looks like the account moved.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..analysis.analytics import health
from ..core.load import ACCOUNTS, Reader, load_account
from ..core.model import Account, CriteriaConfig, Portfolio
from ..scoring.placement import Ladder, placements, tier_id_of, tier_name_of
from ..validate import schema
from .diff import account_notes, criteria_changes, criterion_moves, renames
from .gitlog import Commit, CommitTree, HistoryProblem, Log, read_blobs, read_log

__all__ = ["History", "HistoryProblem", "Point", "history", "replay"]

# What in a commit can have moved an account's figures: its own files, criteria.yml, both, or
# team.yml alone.
Cause = Literal["account", "criteria", "both", "team"]


@dataclass(frozen=True)
class Point:
    account: str  # the account's id at this commit
    commit: str
    date: dt.datetime
    author: str
    subject: str
    cause: Cause
    score: float | None  # None: not scorable at this commit (invalid files, or removed)
    tier: str | None  # tier id or "standard"; None when unscored
    tier_name: str | None
    health: int | None
    changes: tuple[str, ...] = ()  # in words, as in `kam diff`
    renamed_from: str | None = None
    removed: bool = False
    added: bool = False  # the account's first readable version
    score_before: float | None = None  # at the account's previous point
    tier_before: str | None = None
    confidential: bool = False  # the account was marked confidential at this commit

    @property
    def tier_moved(self) -> bool:
        return self.tier_before is not None and self.tier is not None and self.tier != self.tier_before

    @property
    def score_moved(self) -> bool:
        return self.score_before is not None and self.score is not None and self.score != self.score_before

    def as_dict(self) -> dict:
        record = asdict(self)
        record["date"] = self.date.isoformat()
        record["changes"] = list(self.changes)
        del record["confidential"]  # what sites filter on; `kam history` is read by the team, who see all accounts
        return record


@dataclass(frozen=True)
class History:
    points: tuple[Point, ...]  # oldest first
    shallow: bool  # history is cut at the clone's depth
    first_commit: Commit | None
    series: dict[str, tuple[Point, ...]] = field(default_factory=dict, compare=False)
    # each account's points under its latest id, across renames

    def of(self, account_id: str) -> tuple[Point, ...]:
        return self.series.get(account_id, ())

    def ever_confidential(self) -> frozenset[str]:
        """The accounts (by latest id) marked confidential at any commit: their past would tell on them."""
        return frozenset(a for a, points in self.series.items() if any(p.confidential for p in points))

    def without(self, accounts: frozenset[str]) -> History:
        """The history with nothing of `accounts` (by latest id, across renames): for a site that may not show them."""
        if not accounts:
            return self
        dropped = {id(p) for a in accounts for p in self.series.get(a, ())}
        return History(tuple(p for p in self.points if id(p) not in dropped), self.shallow, self.first_commit,
                       {a: s for a, s in self.series.items() if a not in accounts})

    def since(self, day: dt.date) -> list[Point]:
        """Points on or after `day` that moved something, newest first."""
        return [p for p in reversed(self.points) if p.date.date() >= day and (p.changes or p.score_moved)]

    def tier_since(self, account_id: str, tier_id: str) -> Point | None:
        """The first point of the account's latest unbroken run at `tier_id`."""
        since = None
        for point in reversed(self.of(account_id)):
            if point.tier != tier_id:
                break
            since = point
        return since


NO_HISTORY = History((), False, None)


def history(root: Path) -> History:
    """The history of the portfolio under `root`; raises HistoryProblem when git fails."""
    log = read_log(root)
    needed = (change.blob for commit in log.commits for change in commit.changes if change.blob)
    return replay(log, read_blobs(root, needed))


@dataclass
class _Step:
    """One commit, replayed: what it touched, with the models read, before any scoring."""
    commit: Commit
    criteria: CriteriaConfig | None
    criteria_moved: list[str]
    renames: dict[str, str]
    # (account id, cause, the account as read now or None, the account before, renamed from,
    # whether its folder is gone)
    entries: list[tuple[str, Cause, Account | None, Account | None, str | None, bool]]


def replay(log: Log, blobs: dict[str, bytes]) -> History:
    """Read every commit's changes, then score all states at once per version of criteria.yml
    (a few vectorised calls instead of one per commit), then tell each point's change."""
    steps = _read_steps(log, blobs)
    placed = _place_all(steps)
    return _points(steps, placed, log)


def _read_steps(log: Log, blobs: dict[str, bytes]) -> list[_Step]:
    tree = CommitTree(blobs)
    parsed: dict = {}  # shared by every commit's reader: an unchanged file is parsed once
    checked: dict = {}  # and schema-checked once
    criteria: CriteriaConfig | None = None
    accounts: dict[str, Account] = {}  # the latest readable model of each account
    steps = []
    for commit in log.commits:
        touched, config_files = _apply(tree, commit)
        reader = Reader(tree, parsed)
        criteria_moved: list[str] = []
        if "criteria.yml" in config_files:
            new, _ = schema.criteria(reader.yaml("criteria.yml")) if tree.exists("criteria.yml") else (None, [])
            criteria_moved = criteria_changes(criteria, new) if criteria and new else []
            if criteria is None:  # the first usable criteria: nothing was scored before to move
                config_files.discard("criteria.yml")
            criteria = new
        read = _read_accounts(reader, tree, touched, checked)
        moved = _moved(accounts, read, tree)
        for old, new_id in moved.items():
            accounts[new_id] = accounts.pop(old)
        touched -= set(moved)
        everyone = set(accounts) if config_files else set()
        # Only the accounts whose files changed are read again; the others keep their model.
        current = read | {a: accounts[a] for a in everyone - touched}
        renamed_to = {new_id: old for old, new_id in moved.items()}
        entries = []
        for account_id in sorted(touched | everyone | set(renamed_to)):
            account, previous = current.get(account_id), accounts.get(account_id)
            if account is None and previous is None:
                continue  # never readable: nothing to chart
            cause = _cause(account_id in touched or account_id in renamed_to, config_files)
            gone = account_id in touched and not tree.exists(f"{ACCOUNTS}/{account_id}/account.yml")
            entries.append((account_id, cause, account, previous, renamed_to.get(account_id), gone))
            if account is not None:
                accounts[account_id] = account
            elif gone:
                accounts.pop(account_id, None)
            # else: unreadable at this commit; the next readable version is compared with the last
        steps.append(_Step(commit, criteria, criteria_moved, moved, entries))
    return steps


def _moved(accounts: dict[str, Account], read: dict[str, Account | None], tree: CommitTree) -> dict[str, str]:
    """The accounts this commit renamed (old id -> new id), by `kam diff`'s rule: an account whose
    folder is gone and one that arrived under the same name."""
    gone = {i: a for i, a in accounts.items() if i in read and not tree.exists(f"{ACCOUNTS}/{i}/account.yml")}
    arrived = {i: a for i, a in read.items() if a is not None and i not in accounts}
    return renames(gone, arrived)


def _place_all(steps: list[_Step]) -> dict[tuple[int, int], tuple[float, object]]:
    """(id of criteria, id of account) -> (score, tier) for every state a point needs."""
    groups: dict[int, tuple[CriteriaConfig, dict[int, Account]]] = {}
    for step in steps:
        if step.criteria is None:
            continue
        _, members = groups.setdefault(id(step.criteria), (step.criteria, {}))
        for _, _, account, _, _, _ in step.entries:
            if account is not None:
                members[id(account)] = account
    placed: dict[tuple[int, int], tuple[float, object]] = {}
    for key, (criteria, members) in groups.items():
        # Each version of an account is scored under its own row name: ids repeat across versions.
        versions = {f"v{n}": account for n, account in enumerate(members.values())}
        try:
            figures = placements(Portfolio(criteria, (), tuple(replace(a, id=v) for v, a in versions.items())))
        except (KeyError, ValueError, ZeroDivisionError):
            continue
        for version, (score, tier) in figures.items():
            if math.isfinite(score):
                placed[(key, id(versions[version]))] = (score, tier)
    return placed


def _points(steps: list[_Step], placed: dict, log: Log) -> History:
    figures: dict[str, tuple] = {}  # id -> (score, tier id, tier name, health) at its last point
    series: dict[str, list[Point]] = {}
    points: list[Point] = []
    for step in steps:
        for old, new in step.renames.items():
            series[new] = series.pop(old, [])
            if old in figures:
                figures[new] = figures.pop(old)
        for account_id, cause, account, previous, renamed_from, gone in step.entries:
            now = None
            if account is not None and step.criteria is not None and (id(step.criteria), id(account)) in placed:
                score, tier = placed[(id(step.criteria), id(account))]
                now = (score, tier_id_of(tier), tier_name_of(tier),
                       health(step.criteria, account, tier, step.commit.date.date()).total)
            point = _point(step, account_id, cause, account, previous, figures.get(account_id), now, renamed_from,
                           gone)
            if now is not None:
                figures[account_id] = now
            elif gone:
                figures.pop(account_id, None)
            # else: unscorable here; the next scored point is compared with the last one scored
            points.append(point)
            series.setdefault(account_id, []).append(point)
    first = log.commits[0] if log.commits else None
    return History(tuple(points), log.shallow, first, {a: tuple(s) for a, s in series.items() if s})


def _apply(tree: CommitTree, commit: Commit) -> tuple[set[str], set[str]]:
    """Advance the tree by one commit; return the account ids it touched (both ids of a folder
    that moved) and the configuration files it changed."""
    touched: set[str] = set()
    config_files: set[str] = set()
    for change in commit.changes:
        tree.apply(change)
        for path in (change.old_path, change.new_path):
            if path in ("criteria.yml", "team.yml"):
                config_files.add(path)
        touched |= {i for i in (_account_of(change.old_path), _account_of(change.new_path)) if i}
    return touched, config_files


def _account_of(path: str | None) -> str | None:
    if path is None or not path.startswith(ACCOUNTS + "/"):
        return None
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else None


def _read_accounts(reader: Reader, tree: CommitTree, ids: set[str], checked: dict) -> dict[str, Account | None]:
    """Each account as its files read at this commit: None when removed or its account.yml
    is unusable (the figures then stop, as the site would stop showing it)."""
    found: dict[str, Account | None] = {}
    for account_id in ids:
        folder = f"{ACCOUNTS}/{account_id}"
        if not tree.exists(f"{folder}/account.yml"):
            found[account_id] = None
            continue
        account, _ = schema.account(load_account(reader, folder), checked)
        found[account_id] = account if isinstance(account, Account) else None
    return found


def _cause(own_files: bool, config_files: set[str]) -> Cause:
    if "criteria.yml" in config_files:
        return "both" if own_files else "criteria"
    return "account" if own_files or not config_files else "team"


def _point(step: _Step, account_id: str, cause: Cause, account: Account | None, previous: Account | None,
           before: tuple | None, now: tuple | None, renamed_from: str | None, removed: bool) -> Point:
    criteria, commit = step.criteria, step.commit
    added = account is not None and previous is None and renamed_from is None
    words: list[str] = []
    if renamed_from:
        words.append(f"folder renamed from {renamed_from}")
    if previous is not None and account is not None and account is not previous:
        names = {c.id: c.name for c in criteria.criteria} if criteria else {}
        words += [f"{names.get(m.criterion, m.criterion)} {m.before:g} → {m.after:g}"
                  for m in criterion_moves(previous, account)]
        words += account_notes(previous, account)
    elif added:
        words.append("account added")
    elif removed:
        words.append("account removed")
    elif account is None:
        words.append("account.yml could not be read at this commit (see `kam validate` there)")
    if cause in ("criteria", "both"):
        words += [f"criteria: {c}" for c in step.criteria_moved]
    words += _tier_words(before, now, criteria)
    score, tier, tier_name, plan_health = now or (None, None, None, None)
    known = account or previous
    return Point(account_id, commit.sha, commit.date, commit.author, commit.subject, cause,
                 score, tier, tier_name, plan_health, tuple(words), renamed_from, removed, added,
                 before[0] if before else None, before[1] if before else None,
                 known is not None and known.profile.confidential)


def _tier_words(before: tuple | None, after: tuple | None, criteria: CriteriaConfig | None) -> list[str]:
    """"promoted to Gold" or "moved down to Silver"; tiers rank as criteria.yml lists them."""
    if before is None or after is None or before[1] == after[1]:
        return []
    ladder = Ladder.of(criteria) if criteria else Ladder(())
    if before[1] in ladder and after[1] in ladder:
        up = ladder.rank(after[1]) < ladder.rank(before[1])
    else:  # a tier that no longer exists: the score says which way it went
        up = after[0] > before[0]
    return [f"promoted to {after[2]}" if up else f"moved down to {after[2]}"]
