"""Proposed scores: what the CRM figures suggest for each criterion, with the reason in words.

They are proposals only (a person accepts them or writes their own), so they are deliberately
plain: a figure's rank among the export's accounts, spread over the criteria scale. The top
account on a figure proposes the scale's maximum, the bottom one its minimum, ties share the
lower place, and an account without the figure (no closed opportunity, nothing won) gets the
minimum. A criterion no figure measures (the mapping's `proposals` names none for it) gets the
minimum too, saying so: the conservative reading, until someone who knows the account judges it.

Scores and places are computed column by column over all accounts; the sentence behind a
score is written when the importer writes that account's file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.formats import money, pct
from ..core.model import CriteriaConfig
from ..scaffold.account import Proposal


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def scale_scores(values: pd.Series, low: int, high: int) -> pd.Series:
    """Each value's rank among all of them (ties share the lower place), spread over low..high;
    a missing or zero figure is the lowest score."""
    present = values.fillna(0)
    count = len(present)
    if count < 2:
        return pd.Series(float(low), index=values.index)
    below = present.rank(method="min") - 1  # how many accounts have a smaller figure
    spread = np.floor(below / (count - 1) * (high - low) + 0.5) + low
    return spread.where(present > 0, low).astype(float)


def places(values: pd.Series) -> pd.Series:
    """1 for the largest figure; equal figures share the better place."""
    return values.fillna(0).rank(method="min", ascending=False).astype(int)


@dataclass(frozen=True)
class Proposals:
    figures: pd.DataFrame  # crm.CrmExport.figures: revenue, pipeline, open, won, lost, win_rate
    scores: pd.DataFrame  # account x criterion, in criteria.yml's order
    places: pd.DataFrame  # account x signal: 1 for the largest figure
    signals: dict[str, str | None]  # criterion -> the figure behind it, or None
    names: dict[str, str]  # criterion -> its name, for the reason of an unmeasured criterion
    currency: str
    as_of: dt.date

    def of(self, account_id: str) -> dict[str, Proposal]:
        """One account's proposals, each with its reason in words."""
        figures = self.figures.loc[account_id]
        scores = self.scores.loc[account_id]
        return {criterion: Proposal(float(scores[criterion]), self._why(criterion, account_id, figures))
                for criterion in self.scores.columns}

    def _why(self, criterion: str, account_id: str, figures: pd.Series) -> str:
        signal = self.signals[criterion]
        if signal is None:
            return f"No CRM figure measures {self.names[criterion].lower()}: the lowest score until someone judges it."
        place = f"{ordinal(int(self.places.at[account_id, signal]))} of {len(self.figures):,} accounts in the CRM export."
        value = figures[signal]
        if signal == "revenue":
            return (f"Won {money(value, self.currency)} in the 12 months to {self.as_of}, {place}" if value > 0 else
                    f"Won nothing in the 12 months to {self.as_of}: the lowest score.")
        if signal == "pipeline":
            count = int(figures["open"])
            return (f"Open pipeline of {money(value, self.currency)} in {count:,} "
                    f"opportunit{'y' if count == 1 else 'ies'}, {place}" if value > 0 else
                    "No open pipeline in the CRM export: the lowest score.")
        won, closed = int(figures["won"]), int(figures["won"] + figures["lost"])
        return (f"Won {pct(value)} of its closed opportunities ({won:,} of {closed:,}) up to {self.as_of}, {place}"
                if value == value and value > 0 else f"No won closed opportunity up to {self.as_of}: the lowest score.")


def propose(figures: pd.DataFrame, criteria: CriteriaConfig, signals: Mapping[str, str], currency: str,
            as_of: dt.date) -> Proposals:
    """Proposals for every account of `figures` and every criterion of criteria.yml."""
    low, high = criteria.scale.min, criteria.scale.max
    behind = {c.id: signals.get(c.id) for c in criteria.criteria}  # a signal names a column of figures
    scores = pd.DataFrame({cid: scale_scores(figures[signal], low, high) if signal else
                           pd.Series(float(low), index=figures.index) for cid, signal in behind.items()},
                          index=figures.index)
    used = sorted({s for s in behind.values() if s})
    ranks = pd.DataFrame({signal: places(figures[signal]) for signal in used}, index=figures.index)
    return Proposals(figures, scores, ranks, behind, {c.id: c.name for c in criteria.criteria}, currency, as_of)
