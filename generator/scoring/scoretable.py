"""The score stage's table: one row per account, built with pandas from the figures `score` worked
out (the score and tier are copied, never recomputed), with what only the pages, `kam score` and
analytics need: contributions per criterion, the gap to the tier above and the closing move.

Loaded on first use of `Scores.table`, so that `kam validate` starts without pandas; it reads the
placements it is given and knows nothing of `Scores`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..core.model import CriteriaConfig, Portfolio
from .placement import (
    CANDIDATE,
    SCORE_DECIMALS,
    UNREACHABLE,
    AccountScore,
    ClosingMove,
    Contribution,
    Placed,
    move_in_words,
)


def _closing_moves(matrix: pd.DataFrame, weights: pd.Series, gap: pd.Series, top: float) -> list[ClosingMove | str]:
    """For each account: its closing move, UNREACHABLE, or "" when there is no tier above."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero weight can never close a gap: inf
        needed = np.ceil(np.round(gap.to_numpy()[:, None] / weights.to_numpy()[None, :], 9))
    scores = matrix.to_numpy()
    target = scores + needed
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
            moves.append(ClosingMove(columns[column], float(scores[row, column]), float(target[row, column])))
    return moves


def score_table(criteria: CriteriaConfig, shares: Mapping[str, float],
                placed: Mapping[str, Placed]) -> tuple[pd.DataFrame, dict[str, ClosingMove]]:
    """The table, and each account's closing move as data where it has one. Scored accounts come
    first, then candidates; a `proposed_tier` column appears only when there are candidates."""
    ids = [c.id for c in criteria.criteria]
    index = pd.Index(list(placed), name="account", dtype=object)
    matrix = pd.DataFrame([p.values for p in placed.values()], index=index, columns=ids, dtype=float)
    weights = pd.Series(shares, dtype=float)[ids]
    rows = list(placed.values())
    # A candidate has no tier above, so no gap or move either: only where its proposal would place it.
    next_floor = np.array([p.next_tier.min_score if p.next_tier else np.nan for p in rows], dtype=float)
    score = pd.Series([p.score for p in rows], index=index, dtype=float)
    gap = pd.Series(np.round(next_floor - score.to_numpy(), SCORE_DECIMALS), index=index)
    moves = _closing_moves(matrix, weights, gap, criteria.scale.max)
    columns = {
        "score": score,
        "tier": np.array([p.tier_id for p in rows], dtype=object),
        "proposed_tier": np.array([p.proposed_tier_id for p in rows], dtype=object),
        "next_tier": np.array([p.next_tier.id if p.next_tier else "" for p in rows], dtype=object),
        "gap": gap,
        "closing_move": np.array([m.text() if isinstance(m, ClosingMove) else m for m in moves], dtype=object),
        "watch": np.array([p.watch for p in rows], dtype=object),
    }
    if not any(p.candidate for p in rows):  # a portfolio without candidates keeps the table it always had
        del columns["proposed_tier"]
    table = pd.DataFrame(columns, index=index)
    contributions = matrix.mul(weights, axis=1)
    for column in contributions.columns:
        table[f"contribution.{column}"] = contributions[column].round(SCORE_DECIMALS)
    return table, {a: m for a, m in zip(index, moves) if isinstance(m, ClosingMove)}


def records(portfolio: Portfolio, criteria: CriteriaConfig, weights: Mapping[str, float], table: pd.DataFrame,
            closing: Mapping[str, ClosingMove]) -> dict[str, AccountScore]:
    """The table's rows as records for templates; every figure is read from the table."""
    tiers = {t.id: t for t in criteria.tiers}
    ids = [c.id for c in criteria.criteria]
    names = [c.name for c in criteria.criteria]
    shares = [weights[c] for c in ids]
    points = table[[f"contribution.{c}" for c in ids]].to_numpy().tolist()
    rows = zip(table.index, points, *(table[column].tolist() for column in
                                      ("score", "tier", "next_tier", "gap", "closing_move", "watch")))
    proposed = table["proposed_tier"].tolist() if "proposed_tier" in table.columns else [""] * len(table)
    lowest = float(criteria.scale.min)
    found = {}
    for (account_id, account_points, score, tier, next_tier, gap, move, watch), proposal in zip(rows, proposed):
        profile = portfolio.accounts_by_id[account_id].profile
        candidate = tier == CANDIDATE
        given = profile.proposed_scores if candidate else profile.scores
        contributions = tuple(
            Contribution(cid, name, float(given[cid].score), share, point, given[cid].why) if cid in given else
            Contribution(cid, name, lowest, share, point, "No proposal: counted at the lowest score of the scale.")
            for cid, name, share, point in zip(ids, names, shares, account_points))
        found[account_id] = AccountScore(score, tiers.get(tier), contributions, tiers.get(next_tier),
                                         None if gap != gap else gap, move, watch or None, closing.get(account_id),
                                         candidate, tiers.get(proposal),
                                         move_in_words(closing.get(account_id), move, criteria))
    return found
