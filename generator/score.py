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
from typing import Literal

import numpy as np
import pandas as pd

from .model import CriteriaConfig, Portfolio, Tier

SCORE_DECIMALS = 2
STANDARD = "standard"
Watch = Literal["promotion", "at_risk"]


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
    account_id: str
    score: float
    tier: Tier | None  # None: standard (not a key account)
    contributions: tuple[Contribution, ...]
    next_tier: Tier | None
    gap: float | None  # points to reach next_tier
    closing_move: str  # the smallest single-criterion change that reaches next_tier
    watch: Watch | None

    @property
    def tier_id(self) -> str:
        return self.tier.id if self.tier else STANDARD

    @property
    def tier_name(self) -> str:
        return self.tier.name if self.tier else "Standard"


@dataclass(frozen=True)
class Scores:
    criteria: CriteriaConfig
    weights: pd.Series  # normalised, indexed by criterion id
    matrix: pd.DataFrame  # raw scores: accounts x criteria
    table: pd.DataFrame  # one row per account: score, tier, next tier, gap, move, watch, contributions
    by_account: dict[str, AccountScore]

    def tier_of(self, account_id: str) -> Tier | None:
        entry = self.by_account.get(account_id)
        return entry.tier if entry else None


def score_matrix(portfolio: Portfolio, criteria: CriteriaConfig) -> pd.DataFrame:
    """Raw scores of every account that scores every criterion (others cannot be ranked)."""
    ids = [c.id for c in criteria.criteria]
    rows = {a.id: [a.profile.scores[c].score for c in ids]
            for a in portfolio.accounts if all(c in a.profile.scores for c in ids)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=ids, dtype=float) if rows else \
        pd.DataFrame(columns=ids, dtype=float)


def normalised_weights(criteria: CriteriaConfig, overrides: Mapping[str, float] | None = None) -> pd.Series:
    weights = pd.Series({c.id: float(c.weight) for c in criteria.criteria})
    if overrides:
        weights.update(pd.Series(overrides, dtype=float))
    return weights / weights.sum()


def weighted_scores(matrix: pd.DataFrame, weights: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    contributions = matrix.mul(weights, axis=1)
    return contributions, contributions.sum(axis=1).round(SCORE_DECIMALS)


def tier_positions(scores: pd.Series | np.ndarray, tiers: tuple[Tier, ...]) -> np.ndarray:
    """For each score, the index into `tiers` (highest first) of its tier, or -1 for standard."""
    ascending = np.array([t.min_score for t in reversed(tiers)])
    position = np.searchsorted(ascending, np.asarray(scores, dtype=float), side="right") - 1
    return np.where(position >= 0, len(tiers) - 1 - position, -1)


def _closing_moves(matrix: pd.DataFrame, weights: pd.Series, gap: pd.Series, top: float) -> pd.Series:
    """The smallest whole-point raise of one criterion that closes each account's gap."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero weight can never close a gap: inf
        needed = np.ceil(np.round(gap.to_numpy()[:, None] / weights.to_numpy()[None, :], 9))
    target = matrix.to_numpy() + needed
    feasible = (target <= top) & np.isfinite(needed) & (needed > 0)
    # Prefer the fewest points; among equals, the heaviest criterion (listed first).
    cost = np.where(feasible, needed, np.inf)
    best = np.argmin(cost, axis=1) if len(matrix) else np.array([], dtype=int)
    moves = []
    columns = list(matrix.columns)
    for row, column in enumerate(best):
        if not np.isfinite(gap.iloc[row]):
            moves.append("")
        elif not np.isfinite(cost[row, column]):
            moves.append("not reachable by one criterion")
        else:
            moves.append(f"raise {columns[column]} from {matrix.iat[row, column]:g} to {target[row, column]:g}")
    return pd.Series(moves, index=matrix.index, dtype=object)


def score_table(criteria: CriteriaConfig, matrix: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    tiers = criteria.tiers
    contributions, score = weighted_scores(matrix, weights)
    position = tier_positions(score, tiers)
    tier_ids = np.array([t.id for t in tiers] + [STANDARD], dtype=object)
    floors = np.array([t.min_score for t in tiers] + [np.nan])
    # position -1 (standard) indexes the last element: the STANDARD sentinel / NaN floor.
    next_position = position - 1  # the tier above; -2 means standard, whose next is the lowest tier
    next_position = np.where(position == -1, len(tiers) - 1, next_position)
    has_next = next_position >= 0
    next_floor = np.where(has_next, floors[np.clip(next_position, 0, None)], np.nan)
    gap = pd.Series(np.round(next_floor - score.to_numpy(), SCORE_DECIMALS), index=matrix.index)
    lowest = tiers[-1].min_score
    watch = np.where(
        (position == -1) & (score.to_numpy() >= lowest - criteria.watch.promotion_margin), "promotion",
        np.where((position >= 0) & (score.to_numpy() < floors[position] + criteria.watch.demotion_margin),
                 "at_risk", ""))
    table = pd.DataFrame({
        "score": score,
        "tier": tier_ids[position],
        "next_tier": np.where(has_next, tier_ids[np.clip(next_position, 0, None)], ""),
        "gap": gap,
        "closing_move": _closing_moves(matrix, weights, gap, criteria.scale.max),
        "watch": watch,
    }, index=matrix.index)
    for column in contributions.columns:
        table[f"contribution.{column}"] = contributions[column].round(SCORE_DECIMALS)
    table.index.name = "account"
    return table


def score_portfolio(portfolio: Portfolio, overrides: Mapping[str, float] | None = None) -> Scores:
    criteria = portfolio.criteria
    assert criteria is not None, "score_portfolio needs a valid criteria.yml"
    matrix = score_matrix(portfolio, criteria)
    weights = normalised_weights(criteria, overrides)
    table = score_table(criteria, matrix, weights)
    return Scores(criteria, weights, matrix, table, _records(portfolio, criteria, weights, matrix, table))


def _records(portfolio, criteria, weights, matrix, table) -> dict[str, AccountScore]:
    """Copy the table's figures into per-account records for templates (no math here)."""
    tiers = {t.id: t for t in criteria.tiers}
    columns = list(matrix.columns)
    names = [next(c.name for c in criteria.criteria if c.id == cid) for cid in columns]
    shares = weights[columns].to_numpy().tolist()
    raw = matrix.to_numpy().tolist()
    points = matrix.mul(weights, axis=1).round(SCORE_DECIMALS).to_numpy().tolist()
    records = {}
    rows = zip(table.index, raw, points, table["score"].tolist(), table["tier"].tolist(),
               table["next_tier"].tolist(), table["gap"].tolist(), table["closing_move"].tolist(),
               table["watch"].tolist())
    for account_id, values, contribution_points, score, tier, next_tier, gap, move, watch in rows:
        scores = portfolio.accounts_by_id[account_id].profile.scores
        contributions = tuple(Contribution(cid, name, value, share, point, scores[cid].why)
                              for cid, name, value, share, point in zip(columns, names, values, shares, contribution_points))
        records[account_id] = AccountScore(account_id, score, tiers.get(tier), contributions, tiers.get(next_tier),
                                           None if gap != gap else gap, move, watch or None)
    return records


def what_if(portfolio: Portfolio, overrides: Mapping[str, float]) -> pd.DataFrame:
    """Re-score with other weights: every account with its tier now and under the new weights."""
    now = score_portfolio(portfolio).table
    then = score_portfolio(portfolio, overrides).table
    out = pd.DataFrame({"score": now["score"], "tier": now["tier"],
                        "new_score": then["score"], "new_tier": then["tier"]})
    out["changed"] = out["tier"] != out["new_tier"]
    return out
