"""Proposed scores: what the CRM figures suggest for each criterion, with the reason in words.

They are proposals only (a person accepts them or writes their own), so they are deliberately
plain: a figure's rank among the export's accounts, spread over the criteria scale. The top
account on a figure proposes the scale's maximum, the bottom one its minimum, ties share the
lower place, and an account without the figure (no closed opportunity, nothing won) gets the
minimum. A criterion no figure measures (the mapping's `proposals` names none for it) gets the
minimum too, saying so: the conservative reading, until someone who knows the account judges it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .formats import money, pct
from .model import CriteriaConfig
from .scaffold import Proposal

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


def positions(values: pd.Series) -> pd.Series:
    """1 for the largest figure; equal figures share the better place."""
    return values.fillna(0).rank(method="min", ascending=False).astype(int)


def _reasons(signal: str, figures: pd.DataFrame, place: pd.Series, currency: str, as_of: dt.date) -> list[str]:
    total = len(figures)
    out = []
    if signal == "revenue":
        for amount, rank in zip(figures["revenue"].tolist(), place.tolist()):
            out.append(f"Won {money(amount, currency)} in the 12 months to {as_of}, {ordinal(rank)} of {total:,} "
                       "accounts in the CRM export." if amount > 0 else
                       f"Won nothing in the 12 months to {as_of}: the lowest score.")
    elif signal == "pipeline":
        for amount, count, rank in zip(figures["pipeline"].tolist(), figures["open"].tolist(), place.tolist()):
            out.append(f"Open pipeline of {money(amount, currency)} in {int(count):,} opportunit"
                       f"{'y' if count == 1 else 'ies'}, {ordinal(rank)} of {total:,} accounts in the CRM export."
                       if amount > 0 else "No open pipeline in the CRM export: the lowest score.")
    else:
        for rate, won, lost, rank in zip(figures["win_rate"].tolist(), figures["won"].tolist(),
                                         figures["lost"].tolist(), place.tolist()):
            out.append(f"Won {pct(rate)} of its closed opportunities ({int(won):,} of {int(won + lost):,}) up to "
                       f"{as_of}, {ordinal(rank)} of {total:,} accounts in the CRM export."
                       if rate == rate and rate > 0 else f"No won closed opportunity up to {as_of}: the lowest score.")
    return out


def propose(figures: pd.DataFrame, criteria: CriteriaConfig, signals: dict[str, str], currency: str,
            as_of: dt.date) -> dict[str, dict[str, Proposal]]:
    """Account id -> criterion id -> proposal, for every account of `figures` and every
    criterion of criteria.yml, in criteria.yml's order."""
    low, high = criteria.scale.min, criteria.scale.max
    columns: dict[str, list[Proposal]] = {}
    for criterion in criteria.criteria:
        signal = signals.get(criterion.id)
        if signal is None:
            why = f"No CRM figure measures {criterion.name.lower()}: the lowest score until someone judges it."
            columns[criterion.id] = [Proposal(low, why)] * len(figures)
            continue
        values = figures[signal]  # a signal names its column of crm.CrmExport.figures
        scores = scale_scores(values, low, high).tolist()
        reasons = _reasons(signal, figures, positions(values), currency, as_of)
        columns[criterion.id] = [Proposal(score, why) for score, why in zip(scores, reasons)]
    ids = figures.index.tolist()
    return {account_id: {cid: column[i] for cid, column in columns.items()} for i, account_id in enumerate(ids)}
