"""`kam digest`: what is new in each person's attention since a past date, read from git.

The attention model is computed twice, each on its own day: on the files as they are today, and on
the files of the last commit on or before `today - since` as they stood on that day. An item is the
same item in both when its identity matches; what moves between weeks by itself (days late, a
score in a watch sentence, the review that carries an action forward, the words "due soon" that
become "overdue") is left out of the identity, so that a due action that turns late is "newly late",
not a new item beside a closed one.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..analysis.attention import KIND_WORDS, Attention, attention
from ..core.errors import ExitCode, KamError
from ..core.model import Portfolio
from ..scoring.check import check
from .gitsource import RevisionProblem, is_repository, materialise

Identity = tuple[str, ...]

# Kinds whose item is one per thing it is about (a goal, a stakeholder, an account's review or watch):
# their sentence changes with the week (a status, a date, a score) while the item stays the same.
_ONE_PER_ABOUT = frozenset({"review", "renewal", "goal", "contact", "plan", "at_risk", "promotion"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class DigestProblem(KamError):
    """The digest cannot be made: the portfolio today cannot be scored."""


def _steady(what: str) -> str:
    return _NUMBER.sub("#", " ".join(what.casefold().split()))


def identity(item: Attention) -> Identity:
    """The same item on two dates: an action by its title (the review carrying it changes), a
    relationship risk by what it is about and its sentence without numbers, every other kind by the
    one thing it is about."""
    if item.kind == "action":
        return (item.kind, item.account_id, _steady(item.what))
    if item.kind in _ONE_PER_ABOUT:
        return (item.kind, item.account_id, *item.about)
    return (item.kind, item.account_id, *item.about, _steady(item.what))


@dataclass(frozen=True)
class PersonDigest:
    """One person's week: what became late or due, new risks, tier-watch changes, what was closed."""
    person: str
    name: str
    github: str | None
    newly_late: tuple[Attention, ...]
    newly_due: tuple[Attention, ...]
    new_risks: tuple[Attention, ...]
    watch: tuple[Attention, ...]  # new on the tier watch (internal: our people only)
    closed: tuple[Attention, ...]  # in the earlier list, not in today's
    counts: tuple[tuple[str, int, int], ...]  # (what is counted, today, then), in the counts line's order
    open_items: int

    @property
    def changed(self) -> bool:
        return bool(self.newly_late or self.newly_due or self.new_risks or self.watch or self.closed)


@dataclass(frozen=True)
class Digest:
    today: dt.date
    since: dt.date
    base: str | None  # the commit read for `since`; None when there is none (everything is new)
    people: tuple[PersonDigest, ...]
    account_names: dict[str, str]  # today's names, else the earlier ones (an account removed since)

    @property
    def open_items(self) -> int:
        return sum(p.open_items for p in self.people)


def base_commit(root: Path, on_or_before: dt.date) -> str | None:
    """The last first-parent commit of HEAD whose author date is on or before the day, or None."""
    done = subprocess.run(["git", "-C", str(root), "log", "--first-parent", "--format=%H %aI", "HEAD"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RevisionProblem(f"cannot read the history: {done.stderr.strip() or 'git log failed'}",
                              exit_code=ExitCode.ENVIRONMENT)
    for line in done.stdout.splitlines():  # newest first
        sha, _, date = line.partition(" ")
        if dt.datetime.fromisoformat(date).date() <= on_or_before:
            return sha
    return None


def _items(root: Path, today: dt.date, required: bool) -> tuple[tuple[Attention, ...], Portfolio]:
    checked = check(root, today)
    if checked.scores is None:
        if required:
            raise DigestProblem("the portfolio cannot be scored (criteria.yml is unusable), so nothing can be "
                                "judged; run `kam validate`", diagnostics=checked.diagnostics)
        return (), checked.portfolio  # a past that could not be scored: everything today is new
    return attention(checked.portfolio, checked.scores, today), checked.portfolio


def _person_digest(person: str, portfolios: tuple[Portfolio, Portfolio], now: list[Attention],
                   before: list[Attention]) -> PersonDigest:
    earlier = {identity(item): item for item in before}
    present = {identity(item) for item in now}

    def new(urgency: str) -> tuple[Attention, ...]:
        # Newly late: not late before (due, or not listed at all); the other urgencies: not listed before.
        return tuple(item for item in now if item.urgency == urgency and (
            identity(item) not in earlier or (urgency == "late" and earlier[identity(item)].urgency != "late")))

    found = portfolios[0].team_by_id.get(person) or portfolios[1].team_by_id.get(person)
    return PersonDigest(person, found.name if found else person, found.github if found else None, new("late"),
                        new("due"), new("risk"), new("watch"),
                        tuple(item for item in before if identity(item) not in present),
                        count_changes(now, before), len(now))


def _selected(items: Iterable[Attention], owner: str | None, team: frozenset[str] | None) -> list[Attention]:
    return [item for item in items
            if (owner is None or item.owner == owner) and (team is None or item.account_id in team)]


def _sponsored(manager: str, *portfolios: Portfolio) -> frozenset[str]:
    """The accounts whose executive sponsor is `manager`, today or then: the site's "team" filter."""
    return frozenset(a.id for p in portfolios for a in p.accounts if a.profile.executive_sponsor == manager)


def digest(root: Path, today: dt.date, since_days: int = 7, owner: str | None = None,
           manager: str | None = None) -> Digest:
    """Each person's attention today against `since_days` ago (see the module's docstring). `owner`:
    that person alone; `manager`: the items on the accounts that person sponsors, per person who acts."""
    since = today - dt.timedelta(days=since_days)
    now, portfolio = _items(root, today, required=True)
    base = base_commit(root, since) if is_repository(root) else None
    if base is None:
        before: tuple[Attention, ...] = ()
        then = portfolio
    else:
        with tempfile.TemporaryDirectory(prefix="kam-digest-") as scratch:
            before, then = _items(materialise(root, base, Path(scratch) / "base"), since, required=False)
    for person in (owner, manager):
        if person is not None and person not in portfolio.team_by_id:
            from ..core.text import suggest

            raise KamError(f"no one called {person!r} in team.yml{suggest(person, sorted(portfolio.team_by_id))}",
                           exit_code=ExitCode.USAGE, option="--owner" if person == owner else "--manager")
    team = _sponsored(manager, portfolio, then) if manager is not None else None
    now_items, before_items = _selected(now, owner, team), _selected(before, owner, team)
    people = sorted({item.owner for item in (*now_items, *before_items)} | ({owner} if owner else set()))
    names = {a.id: a.profile.name for p in (then, portfolio) for a in p.accounts}
    return Digest(today, since, base, tuple(
        _person_digest(p, (portfolio, then), [i for i in now_items if i.owner == p],
                       [i for i in before_items if i.owner == p]) for p in people), names)


# The counts line's words, in its order: actions apart as late and due soon ("2 late actions · 1 action due soon").
COUNT_WORDS = {"late_action": ("late action", "late actions"), "due_action": ("action due soon", "actions due soon"),
               **{kind: words for kind, words in KIND_WORDS.items() if kind != "action"}}


def _counted_as(item: Attention) -> str:
    if item.kind == "action":
        return "late_action" if item.late else "due_action"
    return item.kind


def count_changes(now: Iterable[Attention], before: Iterable[Attention]) -> tuple[tuple[str, int, int], ...]:
    """Each thing counted today and then, in COUNT_WORDS order, leaving out what is zero on both days."""
    tally = {key: [0, 0] for key in COUNT_WORDS}
    for column, items in enumerate((now, before)):
        for item in items:
            tally[_counted_as(item)][column] += 1
    return tuple((key, n, m) for key, (n, m) in tally.items() if n or m)
