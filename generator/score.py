"""Stage: score. The account x criterion matrix, weighted scores, tiers, distances, watch lists.

All matrix math is vectorised (pandas/numpy); the per-account records at the end only copy
figures out of the table for templates.

Rounding is defined here once: a weighted score is rounded to SCORE_DECIMALS, and that
rounded figure is both the one shown and the one compared with tier thresholds, so a score
shown as 8.00 is always platinum when platinum starts at 8.0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from .model import CriteriaConfig, Portfolio, Tier

SCORE_DECIMALS = 2
STANDARD = "standard"
# An imported account whose proposed scores nobody has accepted yet: its row in the table
# carries the proposal's score and, in `proposed_tier`, the tier that score would reach; its
# tier is CANDIDATE, so it is neither a key account nor a standard one.
CANDIDATE = "candidate"
NOT_KEY = (STANDARD, CANDIDATE)
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

    @property
    def tier_id(self) -> str:
        return CANDIDATE if self.candidate else self.tier.id if self.tier else STANDARD

    @property
    def tier_name(self) -> str:
        return "Candidate" if self.candidate else self.tier.name if self.tier else "Standard"

    @property
    def proposed_tier_name(self) -> str:
        """'' for an account a person scored; else the tier its proposal would reach, in words."""
        if not self.candidate:
            return ""
        return self.proposed_tier.name if self.proposed_tier else "Standard"


@dataclass(frozen=True)
class Scores:
    """The figures live in `table` (one row per account); `by_account` is the same rows as
    typed records for templates and rules, made once on first use."""
    portfolio: Portfolio
    criteria: CriteriaConfig
    weights: pd.Series  # normalised, indexed by criterion id
    table: pd.DataFrame  # score, tier, next tier, gap, move, watch, contribution.<criterion>
    closing: dict[str, ClosingMove]  # the table's closing_move as data, where there is one

    @cached_property
    def by_account(self) -> dict[str, AccountScore]:
        return _records(self.portfolio, self.criteria, self.weights, self.table, self.closing)

    def tier_of(self, account_id: str) -> Tier | None:
        entry = self.by_account.get(account_id)
        return entry.tier if entry else None


def key_accounts(tiers: pd.Series) -> pd.Series:
    """Which entries of a tier column are key accounts: neither standard nor candidates."""
    return ~tiers.isin(NOT_KEY)


def _matrix(rows: dict[str, list[float]], ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=ids, dtype=float) if rows else \
        pd.DataFrame(columns=ids, dtype=float)


def score_matrix(portfolio: Portfolio, criteria: CriteriaConfig) -> pd.DataFrame:
    """Raw scores of every account that scores every criterion (others cannot be ranked)."""
    ids = [c.id for c in criteria.criteria]
    return _matrix({a.id: [a.profile.scores[c].score for c in ids]
                    for a in portfolio.accounts if all(c in a.profile.scores for c in ids)}, ids)


def proposal_matrix(portfolio: Portfolio, criteria: CriteriaConfig) -> pd.DataFrame:
    """The proposed scores of every candidate. A criterion without a proposal counts as the
    scale's lowest score, so the tier shown for a candidate is never more than it could reach."""
    ids = [c.id for c in criteria.criteria]
    lowest = float(criteria.scale.min)
    return _matrix({a.id: [a.profile.proposed_scores[c].score if c in a.profile.proposed_scores else lowest
                           for c in ids]
                    for a in portfolio.accounts if a.profile.is_candidate}, ids)


def normalised_weights(criteria: CriteriaConfig, overrides: Mapping[str, float] | None = None) -> pd.Series:
    weights = pd.Series({c.id: float(c.weight) for c in criteria.criteria})
    if overrides:
        weights.update(pd.Series(overrides, dtype=float))
    return weights / weights.sum()


def weighted_scores(matrix: pd.DataFrame, weights: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    contributions = matrix.mul(weights, axis=1)
    return contributions, contributions.sum(axis=1).round(SCORE_DECIMALS)


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
class ClosingMove:
    """The smallest whole-point raise of one criterion that reaches the next tier."""
    criterion_id: str
    current: float
    target: float

    def text(self, name: str | None = None) -> str:
        return f"raise {name or self.criterion_id} from {self.current:g} to {self.target:g}"


UNREACHABLE = "not reachable by one criterion"


def _closing_moves(matrix: pd.DataFrame, weights: pd.Series, gap: pd.Series, top: float) -> list[ClosingMove | str]:
    """For each account: its closing move, UNREACHABLE, or "" when there is no tier above."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero weight can never close a gap: inf
        needed = np.ceil(np.round(gap.to_numpy()[:, None] / weights.to_numpy()[None, :], 9))
    target = matrix.to_numpy() + needed
    feasible = (target <= top) & np.isfinite(needed) & (needed > 0)
    # Prefer the fewest points; among equals, the heaviest criterion (listed first).
    cost = np.where(feasible, needed, np.inf)
    best = np.argmin(cost, axis=1) if len(matrix) else np.array([], dtype=int)
    moves: list[ClosingMove | str] = []
    columns = list(matrix.columns)
    for row, column in enumerate(best):
        if not np.isfinite(gap.iloc[row]):
            moves.append("")
        elif not np.isfinite(cost[row, column]):
            moves.append(UNREACHABLE)
        else:
            moves.append(ClosingMove(columns[column], float(matrix.iat[row, column]), float(target[row, column])))
    return moves


def score_table(criteria: CriteriaConfig, matrix: pd.DataFrame,
                weights: pd.Series) -> tuple[pd.DataFrame, dict[str, ClosingMove]]:
    contributions, score = weighted_scores(matrix, weights)
    # A plain loop: 10,000 accounts place in a few milliseconds, and it reads like the rule.
    placements = [place(value, criteria) for value in score.tolist()]
    next_floor = np.array([p.next_tier.min_score if p.next_tier else np.nan for p in placements], dtype=float)
    gap = pd.Series(np.round(next_floor - score.to_numpy(), SCORE_DECIMALS), index=matrix.index)
    moves = _closing_moves(matrix, weights, gap, criteria.scale.max)
    table = pd.DataFrame({
        "score": score,
        "tier": np.array([p.tier.id if p.tier else STANDARD for p in placements], dtype=object),
        "next_tier": np.array([p.next_tier.id if p.next_tier else "" for p in placements], dtype=object),
        "gap": gap,
        "closing_move": pd.Series([m.text() if isinstance(m, ClosingMove) else m for m in moves],
                                  index=matrix.index, dtype=object),
        "watch": np.array([p.watch for p in placements], dtype=object),
    }, index=matrix.index)
    for column in contributions.columns:
        table[f"contribution.{column}"] = contributions[column].round(SCORE_DECIMALS)
    table.index.name = "account"
    return table, {a: m for a, m in zip(matrix.index, moves) if isinstance(m, ClosingMove)}


def candidate_table(criteria: CriteriaConfig, proposals: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Candidates' rows: the proposal's score and contributions, the tier it would reach in
    `proposed_tier`, and none of what a placed account has (tier above, gap, move, watch)."""
    table, _ = score_table(criteria, proposals, weights)
    table["proposed_tier"] = table["tier"]
    table["tier"] = CANDIDATE
    table["next_tier"] = ""
    table["gap"] = np.nan
    table["closing_move"] = ""
    table["watch"] = ""
    return table


def score_portfolio(portfolio: Portfolio, overrides: Mapping[str, float] | None = None) -> Scores:
    criteria = portfolio.criteria
    assert criteria is not None, "score_portfolio needs a valid criteria.yml"
    weights = normalised_weights(criteria, overrides)
    table, closing = score_table(criteria, score_matrix(portfolio, criteria), weights)
    proposals = proposal_matrix(portfolio, criteria)
    if len(proposals):  # a portfolio without candidates keeps the table it always had
        table.insert(2, "proposed_tier", pd.Series("", index=table.index, dtype=object))
        candidates = candidate_table(criteria, proposals, weights)[table.columns]
        table = pd.concat([table, candidates]) if len(table) else candidates
        table.index.name = "account"
    return Scores(portfolio, criteria, weights, table, closing)


def placements(portfolio: Portfolio) -> dict[str, tuple[float, Tier | None]]:
    """Each scorable account's weighted score and tier, without the rest of the table: the
    same arithmetic as `score_portfolio`, for callers that score a few accounts many times."""
    criteria = portfolio.criteria
    assert criteria is not None, "placements needs a valid criteria.yml"
    _, score = weighted_scores(score_matrix(portfolio, criteria), normalised_weights(criteria))
    return {a: (value, place(value, criteria).tier) for a, value in zip(score.index, score.tolist())}


def _records(portfolio: Portfolio, criteria: CriteriaConfig, weights: pd.Series, table: pd.DataFrame,
             closing: dict[str, ClosingMove]) -> dict[str, AccountScore]:
    """The table's rows as records; every figure is read from the table, none recomputed."""
    tiers = {t.id: t for t in criteria.tiers}
    ids = [c.id for c in criteria.criteria]
    names = [c.name for c in criteria.criteria]
    shares = [float(weights[c]) for c in ids]
    points = table[[f"contribution.{c}" for c in ids]].to_numpy().tolist()
    rows = zip(table.index, points, *(table[column].tolist() for column in
                                      ("score", "tier", "next_tier", "gap", "closing_move", "watch")))
    proposed = table["proposed_tier"].tolist() if "proposed_tier" in table.columns else [""] * len(table)
    lowest = float(criteria.scale.min)
    records = {}
    for (account_id, account_points, score, tier, next_tier, gap, move, watch), proposal in zip(rows, proposed):
        profile = portfolio.accounts_by_id[account_id].profile
        candidate = tier == CANDIDATE
        given = profile.proposed_scores if candidate else profile.scores
        contributions = tuple(
            Contribution(cid, name, float(given[cid].score), share, point, given[cid].why) if cid in given else
            Contribution(cid, name, lowest, share, point, "No proposal: counted at the lowest score of the scale.")
            for cid, name, share, point in zip(ids, names, shares, account_points))
        records[account_id] = AccountScore(score, tiers.get(tier), contributions, tiers.get(next_tier),
                                           None if gap != gap else gap, move, watch or None, closing.get(account_id),
                                           candidate, tiers.get(proposal))
    return records


def what_if(portfolio: Portfolio, overrides: Mapping[str, float]) -> pd.DataFrame:
    """Re-score with other weights: every account with its tier now and under the new weights."""
    now = score_portfolio(portfolio).table
    then = score_portfolio(portfolio, overrides).table
    out = pd.DataFrame({"score": now["score"], "tier": now["tier"],
                        "new_score": then["score"], "new_tier": then["tier"]})
    out["changed"] = out["tier"] != out["new_tier"]
    return out
