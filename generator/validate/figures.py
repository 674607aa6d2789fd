"""Figures that would be read wrongly: a percentage given as a fraction, a product counted twice."""

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


@rule("W313")
def products_listed_twice(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A product named twice in `crm.products`: the footprint would add its figures up. Names are
    compared as the import matches them, ignoring case and spaces."""
    for account in ctx.accounts:
        crm = account.profile.crm if account.profile is not None else None  # a profile with errors is said elsewhere
        if crm is None:
            continue
        path = f"{account.dir}/account.yml"
        first: dict[str, int] = {}
        for index, product in enumerate(crm.products):
            key = "".join(product.name.split()).casefold()
            if key in first:
                yield diagnostic(path, ctx.at(path, ("crm", "products", index, "name")), "W313",
                                 f"product '{product.name}' is listed twice in crm.products (entry {first[key] + 1} "
                                 f"and {index + 1}): its figures would be counted twice; keep one entry")
            else:
                first[key] = index


RULES = (percent_fractions, products_listed_twice)
