"""Weighted scores and tier placement, in plain Python: what every rule reads (`kam validate`
starts without pandas). The words for the tiers below the lowest (standard, candidate) live here,
and `Ladder` answers every question about the tiers as a sequence (order, rank, names, key).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..core.model import CriteriaConfig, Portfolio, Tier

SCORE_DECIMALS = 2
STANDARD = "standard"
# An imported account whose proposed scores nobody has accepted yet: its row in the table
# carries the proposal's score and, in `proposed_tier`, the tier that score would reach; its
# tier is CANDIDATE, so it is neither a key account nor a standard one.
CANDIDATE = "candidate"
NOT_KEY = (STANDARD, CANDIDATE)
_NAMES = {STANDARD: "Standard", CANDIDATE: "Candidate"}
WatchFlag = Literal["promotion", "at_risk"]  # not model.Watch, which is criteria.yml's margins


@dataclass(frozen=True)
class Contribution:
    criterion_id: str
    name: str
    score: float
    weight_share: float  # the criterion's weight over the sum of weights
    points: float  # score x weight_share: what it adds to the weighted score
    why: str


@dataclass(frozen=True)
class AccountScore:
    score: float
    tier: Tier | None  # None: standard (not a key account)
    contributions: tuple[Contribution, ...]
    next_tier: Tier | None
    gap: float | None  # points to reach next_tier
    closing_move: str  # the smallest single-criterion change that reaches next_tier, with the criterion's id
    watch: WatchFlag | None
    closing: ClosingMove | None = None  # the same move as data, for words with the criterion's name
    candidate: bool = False  # scored by a proposal nobody accepted: `tier` is None, see proposed_tier
    proposed_tier: Tier | None = None  # a candidate's: where its proposal would place it (None: standard)
    move_in_words: str = ""  # the closing move with the criterion's name: what every page prints

    @property
    def tier_id(self) -> str:
        return CANDIDATE if self.candidate else tier_id_of(self.tier)

    @property
    def tier_name(self) -> str:
        return _NAMES[CANDIDATE] if self.candidate else tier_name_of(self.tier)

    @property
    def proposed_tier_name(self) -> str:
        """'' for an account a person scored; else the tier its proposal would reach, in words."""
        if not self.candidate:
            return ""
        return tier_name_of(self.proposed_tier)

    @property
    def margin(self) -> float | None:
        """Points above its tier's floor; None for an account without a tier."""
        return None if self.tier is None else round(self.score - self.tier.min_score, SCORE_DECIMALS)

    @property
    def demoted_by(self) -> tuple[Contribution, ...]:
        """The criteria a 1-point drop in would take the account below its tier's floor."""
        if self.tier is None or self.margin is None:
            return ()
        return tuple(c for c in self.contributions if c.score > 0 and c.weight_share > self.margin)

    @property
    def demotion_in_words(self) -> str:
        """What would demote an account on the demotion watch, in the words the overview leads with:
        "a 1-point drop in any criterion but Growth outlook", or "in Revenue potential"; '' if none."""
        if self.watch != "at_risk" or self.tier is None:
            return ""
        names = [c.name for c in self.demoted_by]
        spared = [c.name for c in self.contributions if c.name not in names]
        if not names:
            return f"{self.margin:g} points above the {self.tier.name} floor; no 1-point drop alone would demote it"
        if not spared:
            which = "any criterion"
        elif len(spared) < len(names):
            which = "any criterion but " + " or ".join(spared)
        else:
            which = " or ".join(names)
        return f"{self.margin:g} points above the {self.tier.name} floor: a 1-point drop in {which} would demote it"


def tier_id_of(tier: Tier | None) -> str:
    """A placement's tier id: the tier's, or standard for none."""
    return tier.id if tier else STANDARD


def tier_name_of(tier: Tier | None) -> str:
    return tier.name if tier else _NAMES[STANDARD]


@dataclass(frozen=True)
class Ladder:
    """The tiers of criteria.yml, highest first, then the two places below them that every
    account can take: standard (no tier reached) and candidate (proposed scores nobody has
    accepted). Order, rank, names and which accounts are key are asked here, nowhere else."""
    tiers: tuple[Tier, ...]

    @classmethod
    def of(cls, criteria: CriteriaConfig) -> Ladder:
        return cls(criteria.tiers)

    @cached_property
    def order(self) -> tuple[str, ...]:
        """Every tier id, highest first, then standard, then candidate."""
        return (*(t.id for t in self.tiers), STANDARD, CANDIDATE)

    @cached_property
    def ranks(self) -> dict[str, int]:
        return {tier_id: i for i, tier_id in enumerate(self.order)}

    @cached_property
    def names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.tiers} | _NAMES

    def __contains__(self, tier_id: object) -> bool:
        return tier_id in self.ranks

    def rank(self, tier_id: str) -> int:
        """0 for the highest tier, counting down the ladder: a lower rank is a better tier."""
        return self.ranks[tier_id]

    @property
    def lowest(self) -> Tier:
        return self.tiers[-1]

    def is_key(self, tier_id: str) -> bool:
        return tier_id in self.ranks and tier_id not in NOT_KEY

    def name(self, tier_id: str) -> str:
        return self.names[tier_id]

    def key_count(self, tier_ids: Iterable[str]) -> int:
        return sum(self.is_key(t) for t in tier_ids)

    def shown(self, tier_ids: Iterable[str]) -> tuple[str, ...]:
        """The order a listing of tiers shows: every tier and standard, candidates only when
        there are some (most portfolios never import any)."""
        present = set(tier_ids)
        return tuple(t for t in self.order if t != CANDIDATE or t in present)


def normalised_weights(criteria: CriteriaConfig, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Each criterion's weight over the sum of weights, in criteria order."""
    weights = {c.id: float(c.weight) for c in criteria.criteria}
    weights.update({k: float(v) for k, v in (overrides or {}).items() if k in weights})
    total = math.fsum(weights.values())
    return {k: w / total for k, w in weights.items()}


def weighted_score(values: Sequence[float], weights: Sequence[float]) -> float:
    """The weighted score of one account's criterion scores: the one definition of the sum and
    its rounding, used by the rules, the table and the history alike."""
    return round(math.fsum(v * w for v, w in zip(values, weights, strict=True)), SCORE_DECIMALS)


def tier_reached(score: float, tiers: tuple[Tier, ...]) -> int | None:
    """Index into `tiers` (highest first) of the first tier `score` reaches; None: standard."""
    return next((i for i, tier in enumerate(tiers) if score >= tier.min_score), None)


@dataclass(frozen=True)
class Placement:
    tier: Tier | None
    next_tier: Tier | None  # the tier above; for a standard account, the lowest tier
    watch: str  # "promotion", "at_risk" or ""


def place(score: float, criteria: CriteriaConfig) -> Placement:
    """Where a weighted score puts an account: its tier, the tier above, and the watch lists."""
    tiers, margins = criteria.tiers, criteria.watch
    reached = tier_reached(score, tiers)
    if reached is None:
        lowest = tiers[-1]
        return Placement(None, lowest, "promotion" if score >= lowest.min_score - margins.promotion_margin else "")
    tier = tiers[reached]
    above = tiers[reached - 1] if reached > 0 else None
    return Placement(tier, above, "at_risk" if score < tier.min_score + margins.demotion_margin else "")


@dataclass(frozen=True)
class Placed:
    """One account's weighted score and where it puts it. A candidate's figures are its
    proposal's: `placement` is where the proposal would place it, and it has no tier yet."""
    values: tuple[float, ...]  # its score per criterion, in criteria order
    score: float
    placement: Placement
    candidate: bool = False

    @property
    def tier(self) -> Tier | None:
        return None if self.candidate else self.placement.tier

    @property
    def tier_id(self) -> str:
        return CANDIDATE if self.candidate else tier_id_of(self.placement.tier)

    @property
    def is_key(self) -> bool:
        return self.tier is not None

    @property
    def next_tier(self) -> Tier | None:
        """The tier above; a candidate has none (nor a watch flag) until it is placed."""
        return None if self.candidate else self.placement.next_tier

    @property
    def watch(self) -> str:
        return "" if self.candidate else self.placement.watch

    @property
    def proposed_tier_id(self) -> str:
        """Where a candidate's proposal would place it; "" for a placed account."""
        if not self.candidate:
            return ""
        return tier_id_of(self.placement.tier)


def score_rows(portfolio: Portfolio, criteria: CriteriaConfig) -> dict[str, tuple[float, ...]]:
    """Raw scores of every account that scores every criterion (others cannot be ranked)."""
    ids = [c.id for c in criteria.criteria]
    return {a.id: tuple(float(a.profile.scores[c].score) for c in ids)
            for a in portfolio.accounts if all(c in a.profile.scores for c in ids)}


def proposal_rows(portfolio: Portfolio, criteria: CriteriaConfig) -> dict[str, tuple[float, ...]]:
    """The proposed scores of every candidate. A criterion without a proposal counts as the
    scale's lowest score, so the tier shown for a candidate is never more than it could reach."""
    ids = [c.id for c in criteria.criteria]
    lowest = float(criteria.scale.min)
    return {a.id: tuple(float(a.profile.proposed_scores[c].score) if c in a.profile.proposed_scores else lowest
                        for c in ids)
            for a in portfolio.accounts if a.profile.is_candidate}


def place_rows(rows: Mapping[str, tuple[float, ...]], criteria: CriteriaConfig, weights: Sequence[float],
            candidate: bool = False) -> dict[str, Placed]:
    placed = {}
    for account_id, values in rows.items():
        score = weighted_score(values, weights)
        placed[account_id] = Placed(values, score, place(score, criteria), candidate)
    return placed


@dataclass(frozen=True)
class ClosingMove:
    """The smallest whole-point raise of one criterion that reaches the next tier."""
    criterion_id: str
    current: float
    target: float

    def text(self, name: str | None = None) -> str:
        return f"raise {name or self.criterion_id} from {self.current:g} to {self.target:g}"


def move_in_words(closing: ClosingMove | None, move: str, criteria: CriteriaConfig) -> str:
    """The closing move as the pages say it: with the criterion's name; else the table's words
    (unreachable by one criterion, or nothing above)."""
    if closing is None:
        return move
    return closing.text(next((c.name for c in criteria.criteria if c.id == closing.criterion_id), None))


UNREACHABLE = "not reachable by one criterion"


def placements(portfolio: Portfolio) -> dict[str, tuple[float, Tier | None]]:
    """Each scorable account's weighted score and tier, without the rest: for callers that
    score a few accounts many times (the history)."""
    criteria = portfolio.criteria
    assert criteria is not None, "placements needs a valid criteria.yml"
    placed = place_rows(score_rows(portfolio, criteria), criteria, list(normalised_weights(criteria).values()))
    return {a: (p.score, p.tier) for a, p in placed.items()}
