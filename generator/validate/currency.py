"""Currencies: revenue is only ever added up in one currency, converted at the rates that
criteria.yml declares (`currency: {base, rates}`). Without that section totals stay per
currency and there is nothing to check."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.text import suggest
from .context import RuleContext
from .declare import rule

PATH = "criteria.yml"


@rule("E406", "E407")
def currency_rates(ctx: RuleContext) -> Iterator[Diagnostic]:
    rules = ctx.portfolio.criteria.currency if ctx.portfolio.criteria else None
    if rules is None:
        return
    if rules.base in rules.rates:
        yield diagnostic(PATH, ctx.at(PATH, ("currency", "rates", rules.base), key=True), "E407",
                    f"'{rules.base}' is the base currency (currency.base), worth 1 by definition; "
                    "remove it from currency.rates")
    others = sorted(set(rules.rates) - {rules.base})
    rates = f"has {', '.join(others)}" if others else "is empty"
    for account in ctx.portfolio.accounts:
        financials = account.profile.financials
        if financials.currency != rules.base and financials.currency not in rules.rates:
            path = f"{account.dir}/account.yml"
            default = "" if "currency" in financials.model_fields_set else " (the default: no currency is written)"
            yield diagnostic(path, ctx.at(path, ("financials", "currency")), "E406",
                        f"currency '{financials.currency}'{default} has no exchange rate to {rules.base}: "
                        f"currency.rates in criteria.yml {rates}{suggest(financials.currency, [rules.base, *others])}")

RULES = (currency_rates,)
