"""What every rule sees: the loaded documents (for positions), the model, the date, the tiers."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..core.load import REVIEW_NAME_RE, AccountFiles, LoadedRepo
from ..core.model import AccountAsRead, CriteriaConfig, Portfolio, Review, Tier
from ..core.textscan import first_invisible
from ..core.yamldoc import Loc, YamlDoc


def _raw_ids(doc: YamlDoc | None, *, may_be_empty: bool = False) -> frozenset[str] | None:
    """Ids as written, even in entries that failed the schema: a reference to an entry with
    a typo elsewhere should not add a second, misleading 'unknown id' error.

    None when the file could not be read at all: then no reference into it can be judged,
    and the one error about the file is the whole story. An empty file that `may_be_empty`
    is a list without ids."""
    if doc is not None and doc.empty and may_be_empty:
        return frozenset()
    if doc is None or not isinstance(doc.data, list):
        return None
    ids = frozenset(item["id"] for item in doc.data if isinstance(item, dict) and isinstance(item.get("id"), str))
    # An id with an invisible character in it (E020) reads like the one every reference names:
    # which references are really unknown cannot be told until it is fixed.
    return None if any(first_invisible(i) for i in ids) else ids


def name_date(review: Review) -> str | None:
    """The date a review's file name gives (YYYY-MM-DD), which must equal its `date`."""
    match = REVIEW_NAME_RE.match(review.path.rsplit("/", 1)[-1])
    return match.group(1) if match else None


def _review_problems(loaded: LoadedRepo) -> frozenset[str]:
    """Accounts with a review file (or reviews/ folder) that load reported and left out, such
    as a misnamed or unreadable review: only its diagnostic is left to tell."""
    troubled = set()
    for d in loaded.diagnostics:
        folder, found, rest = d.path.rpartition("/reviews")
        if found and rest[:1] in ("", "/"):
            troubled.add(folder)
    return frozenset(f.id for f in loaded.accounts if f.dir in troubled)


class Placement(Protocol):
    @property
    def tier(self) -> Tier | None: ...


class TierPlacements(Protocol):
    """What the tier rules read of the score stage's result (scoring.score.Scores)."""
    @property
    def criteria(self) -> CriteriaConfig: ...

    @property
    def placed(self) -> Mapping[str, Placement]: ...

    @property
    def key_count(self) -> int: ...


def _tiers(scores: TierPlacements | None) -> dict[str, Tier | None]:
    return {a: placed.tier for a, placed in scores.placed.items()} if scores else {}


@dataclass(frozen=True)
class RuleContext:
    loaded: LoadedRepo
    portfolio: Portfolio
    today: dt.date
    accounts: tuple[AccountAsRead, ...]  # every account, with a profile or not (portfolio.accounts: with)
    scores: TierPlacements | None = None  # set for the rules that judge accounts by their tier
    tiers: dict[str, Tier | None] = field(init=False, repr=False)  # None: standard or unscored
    docs: dict[str, YamlDoc] = field(init=False, repr=False)
    team_ids: frozenset[str] | None = field(init=False, repr=False)
    account_ids: frozenset[str] = field(init=False, repr=False)
    stakeholder_ids: dict[str, frozenset[str] | None] = field(init=False, repr=False)
    goal_ids: dict[str, frozenset[str] | None] = field(init=False, repr=False)
    files: dict[str, AccountFiles] = field(init=False, repr=False)  # by account id
    review_problems: frozenset[str] = field(init=False, repr=False)  # accounts with a review file load could not read

    def __post_init__(self) -> None:
        docs: dict[str, YamlDoc] = {}
        for doc in (self.loaded.criteria, self.loaded.team):
            if doc is not None:
                docs[doc.path] = doc
        for files in self.loaded.accounts:
            for doc in (files.account, files.stakeholders, files.goals):
                if doc is not None:
                    docs[doc.path] = doc
            for md in (files.strategy, *files.reviews):
                if md is not None and md.front is not None:
                    docs[md.path] = md.front
        set_ = object.__setattr__
        set_(self, "docs", docs)
        set_(self, "team_ids", _raw_ids(self.loaded.team))
        set_(self, "account_ids", frozenset(f.id for f in self.loaded.accounts))
        set_(self, "stakeholder_ids", {f.id: _raw_ids(f.stakeholders, may_be_empty=True) for f in self.loaded.accounts})
        set_(self, "goal_ids", {f.id: _raw_ids(f.goals, may_be_empty=True) for f in self.loaded.accounts})
        set_(self, "files", {f.id: f for f in self.loaded.accounts})
        set_(self, "review_problems", _review_problems(self.loaded))
        set_(self, "tiers", _tiers(self.scores))

    def with_scores(self, scores: TierPlacements | None) -> RuleContext:
        """The same context, for the rules that need each account's tier (a shallow copy: the
        indexes above are built once)."""
        judged = copy.copy(self)
        object.__setattr__(judged, "scores", scores)
        object.__setattr__(judged, "tiers", _tiers(scores))
        return judged

    @staticmethod
    def unknown(value: str, known: frozenset[str] | None) -> bool:
        """True when `value` is certainly not among `known` (unknowable sets never are)."""
        return known is not None and value not in known

    def people(self, account_id: str) -> frozenset[str] | None:
        """Who may attend a review: the account's stakeholders and our team."""
        stakeholders, team = self.stakeholder_ids.get(account_id), self.team_ids
        return None if stakeholders is None or team is None else stakeholders | team

    def all_reviews_valid(self, account: AccountAsRead) -> bool:
        """Whether every file in the account's reviews/ was read, passed the schema and is
        named for its date. Rules about the latest review wait for that: with a misnamed or
        unreadable review, which one is the latest is a guess, and its own error says enough."""
        if account.id in self.review_problems:
            return False
        if len(account.reviews) != len(self.files[account.id].reviews):
            return False
        return all(name_date(r) == r.meta.date.isoformat() for r in account.reviews)

    def at(self, path: str, loc: Loc = (), *, key: bool = False) -> tuple[int, int]:
        doc = self.docs.get(path)
        return doc.position(loc, key=key) if doc is not None else (1, 1)

    def all_valid(self, path: str, records: tuple[object, ...]) -> bool:
        """Whether every entry of a list file passed the schema. Coverage rules wait for that,
        so that one misspelt role is one error, not also a 'no decision maker' warning."""
        doc = self.docs.get(path)
        if doc is not None and doc.empty:
            return not records
        return doc is not None and isinstance(doc.data, list) and len(doc.data) == len(records)

    def is_key(self, account_id: str) -> bool:
        return self.tiers.get(account_id) is not None
