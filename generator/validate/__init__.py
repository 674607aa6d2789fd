"""Stage: validate. Schema per file kind, then cross-file rules; every problem, sorted.

Rules are plain functions `rule(ctx) -> Iterable[Diagnostic]`, one module per family
(references, plan, dates, config, currency), in the manner of yamllint's one-module-per-rule.
Rules that depend on an account's tier (cadence, tier sections) get tiers from the score
module, which is a pure library: validation never needs mkdocs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..diagnostics import Diagnostic, apply_severity, error, has_errors, sort
from ..load import LoadedRepo
from ..model import Portfolio, Tier
from ..score import Scores, score_portfolio
from . import config, currency, dates, links, plan, playbook, references, schema
from .context import RuleContext

RULES = (*config.RULES, *currency.RULES, *references.RULES, *links.RULES, *plan.RULES, *dates.RULES,
         *playbook.RULES)


@dataclass(frozen=True)
class Validated:
    portfolio: Portfolio
    scores: Scores | None  # None when criteria.yml itself is unusable
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate(loaded: LoadedRepo, today: dt.date) -> Validated:
    found: list[Diagnostic] = list(loaded.diagnostics)
    criteria, problems = schema.criteria(loaded.criteria)
    found += problems
    team, problems = schema.team(loaded.team)
    found += problems
    accounts = []
    for files in loaded.accounts:
        account, problems = schema.account(files)
        found += problems
        accounts.append(account)
    # Only accounts with a profile can be scored, linked and shown; the rules still check the
    # other files of the rest, so that a broken account.yml does not hide their errors.
    portfolio = Portfolio(criteria, team, tuple(a for a in accounts if a.profile is not None))

    untiered = RuleContext(loaded, portfolio, today, {}, tuple(accounts))
    config_problems = list(config.criteria_config(untiered))
    scores = None
    if criteria is not None and not has_errors(config_problems):
        scores = score_portfolio(portfolio)
    tiers: dict[str, Tier | None] = {a: (s.tier if scores else None) for a, s in
                                     (scores.by_account.items() if scores else ())}
    ctx = RuleContext(loaded, portfolio, today, tiers, tuple(accounts))
    for rule in RULES:
        found.extend(config_problems if rule is config.criteria_config else rule(ctx))
    if scores is not None:
        found.extend(_key_share(ctx, scores))
    overrides = criteria.severity if criteria else {}
    return Validated(portfolio, scores, sort(apply_severity(found, overrides)))


def _key_share(ctx: RuleContext, scores: Scores):
    total = len(scores.table)
    if not total or total != len(ctx.loaded.accounts):
        return  # some account could not be scored: its own errors come first, the share would be wrong
    key = int((scores.table["tier"] != "standard").sum())
    limit = scores.criteria.limits.max_key_share
    if key / total > limit:
        yield error("criteria.yml", ctx.at("criteria.yml", ("limits", "max_key_share")), "W402",
                    f"{key} of {total} accounts ({key / total:.0%}) are key accounts; "
                    f"limits.max_key_share is {limit:.0%}")
