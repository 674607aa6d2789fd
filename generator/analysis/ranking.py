"""The portfolio ranking `kam score` prints: the score table with plan health, filtered by tier,
sorted, or re-scored with other weights (what-if). The CLI only parses options and prints.

Problems with the options a person typed are `OptionProblem`s naming the option, so that any
front end can show them its own way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..core.csvfile import to_csv
from ..core.errors import ExitCode, KamError
from ..core.model import MAX_WEIGHT, CriteriaConfig
from ..core.text import suggest
from ..scoring.placement import Ladder
from ..scoring.score import Scores, what_if
from .analytics import Analytics

TEXT_COLUMNS = ("account", "tier", "new_tier", "next_tier", "watch", "closing_move")  # sorted A to Z


class OptionProblem(KamError, ValueError):
    exit_code = ExitCode.USAGE

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message, option=option)


def parse_weights(text: str | None, criteria: CriteriaConfig) -> dict[str, float]:
    """`revenue_potential=40,strategic_fit=20` as {criterion: weight}, within criteria.yml's range."""
    if not text:
        return {}
    weights = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            raise OptionProblem("--weights", f"expected criterion=number, got {part!r}") from None
        if not sep or not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
            raise OptionProblem("--weights", f"expected criterion=number from 0 to {MAX_WEIGHT}, got {part!r}")
        weights[name.strip()] = number
    unknown = sorted(set(weights) - {c.id for c in criteria.criteria})
    if unknown:
        raise OptionProblem("--weights", f"unknown criteria: {', '.join(unknown)}")
    if sum(({c.id: c.weight for c in criteria.criteria} | weights).values()) <= 0:
        raise OptionProblem("--weights", "at least one criterion needs a positive weight")
    return weights


def tier_id(value: str, criteria: CriteriaConfig) -> str:
    """The tier a person named, by id or by name in any case ('Gold', 'gold', 'standard')."""
    ids = list(Ladder.of(criteria).order)
    by_folded = {t.name.casefold(): t.id for t in criteria.tiers} | {i.casefold(): i for i in ids}
    found = by_folded.get(value.strip().casefold())
    if found is None:
        names = [t.name for t in criteria.tiers]
        raise OptionProblem("--tier", f"unknown tier {value!r}; choose from {', '.join(ids)}{suggest(value, names + ids)}")
    return found


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame
    what_if: bool  # re-scored with other weights: tier and new_tier side by side
    changed: int  # accounts whose tier the other weights change


def ranking(scores: Scores, analytics: Analytics, *, weights: Mapping[str, float] | None = None,
            tier: str | None = None, sort: str = "score") -> Ranking:
    if weights:
        table = what_if(scores.portfolio, weights)
        changed = int(table["changed"].sum())
    else:
        table = scores.table.copy()
        table["health"] = [analytics.health[a].total for a in table.index]
        changed = 0
    if tier:
        table = table[table["new_tier" if weights else "tier"] == tier]
    if sort != "account" and sort not in table.columns:
        raise OptionProblem("--sort", f"no column {sort!r}; choose from account, {', '.join(table.columns)}")
    if sort == "account":
        table = table.sort_index()
    else:
        table = table.sort_values(sort, ascending=sort in TEXT_COLUMNS, kind="stable")
    return Ranking(table, bool(weights), changed)


def as_csv(table: pd.DataFrame) -> str:
    """Tier names come from criteria.yml: cells a spreadsheet would run are neutralised (csvfile)."""
    return to_csv(table, float_format="%.2f")


def as_json(table: pd.DataFrame) -> str:
    return table.reset_index().to_json(orient="records", double_precision=4, indent=2) + "\n"
