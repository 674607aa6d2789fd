"""Figures written in another unit than the field's: a percentage given as a fraction."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from .context import RuleContext
from .declare import rule
from .schema import figure


@rule("W311")
def percent_fractions(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A `*_pct` KPI strictly between 0 and 1: 97% written as 0.97 would be charted as 0.97%.
    Exactly 1 is left alone: it is as likely 1% as 100%, and a warning could not be answered."""
    for account in ctx.accounts:
        for review in account.reviews:
            kpis = review.meta.kpis
            for name in type(kpis).model_fields:
                value = getattr(kpis, name)
                if name.endswith("_pct") and value is not None and 0 < value < 1:
                    points = figure(value * 100)
                    yield diagnostic(review.path, ctx.at(review.path, ("kpis", name)), "W311",
                                     f"'kpis.{name}' is {figure(value)}, which reads as {figure(value)}%; "
                                     f"a percentage is written in points: for {points}% write {points}")


RULES = (percent_fractions,)
