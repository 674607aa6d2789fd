"""Stage: score. Every account's weighted score and tier (placement.py, plain Python), collected
in `Scores`; the pandas table of contributions, gaps and closing moves (scoretable.py) is built
the first time a page, `kam score` or the CSV asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..core.model import CriteriaConfig, Portfolio, Tier
from .placement import (
    AccountScore,
    ClosingMove,
    Ladder,
    Placed,
    normalised_weights,
    place_rows,
    proposal_rows,
    score_rows,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Scores:
    """`placed` holds every scored account, then every candidate: what the rules read. `table`
    (one row per account: score, tier, next tier, gap, move, watch, contribution.<criterion>)
    and `by_account` (the same rows as typed records for templates) are made on first use."""
    portfolio: Portfolio
    criteria: CriteriaConfig
    weights: dict[str, float]  # normalised, in criteria order
    placed: dict[str, Placed]

    @cached_property
    def _table(self) -> tuple[pd.DataFrame, dict[str, ClosingMove]]:
        from .scoretable import score_table

        return score_table(self.criteria, self.weights, self.placed)

    @property
    def table(self) -> pd.DataFrame:
        return self._table[0]

    @property
    def closing(self) -> dict[str, ClosingMove]:
        """Each account's closing move as data, where there is one."""
        return self._table[1]

    @cached_property
    def by_account(self) -> dict[str, AccountScore]:
        from .scoretable import records

        return records(self.portfolio, self.criteria, self.weights, self.table, self.closing)

    def tier_of(self, account_id: str) -> Tier | None:
        placed = self.placed.get(account_id)
        return placed.tier if placed else None

    @cached_property
    def ladder(self) -> Ladder:
        return Ladder.of(self.criteria)

    @property
    def key_count(self) -> int:
        """Key accounts among the scored: candidates count as accounts, never as key."""
        return self.ladder.key_count(p.tier_id for p in self.placed.values())

    @property
    def key_share(self) -> float:
        return self.key_count / len(self.placed) if self.placed else 0.0


def score_portfolio(portfolio: Portfolio, overrides: Mapping[str, float] | None = None) -> Scores:
    criteria = portfolio.criteria
    assert criteria is not None, "score_portfolio needs a valid criteria.yml"
    weights = normalised_weights(criteria, overrides)
    shares = list(weights.values())
    placed = place_rows(score_rows(portfolio, criteria), criteria, shares)
    placed.update(place_rows(proposal_rows(portfolio, criteria), criteria, shares, candidate=True))
    return Scores(portfolio, criteria, weights, placed)


def what_if(portfolio: Portfolio, overrides: Mapping[str, float]) -> pd.DataFrame:
    """Re-score with other weights: every account with its tier now and under the new weights."""
    import pandas as pd

    now = score_portfolio(portfolio).table
    then = score_portfolio(portfolio, overrides).table
    out = pd.DataFrame({"score": now["score"], "tier": now["tier"],
                        "new_score": then["score"], "new_tier": then["tier"]})
    out["changed"] = out["tier"] != out["new_tier"]
    return out
