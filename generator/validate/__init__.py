"""Stage: validate. Schema per file kind, then cross-file rules; every problem, sorted.

Rules are plain functions `rule(ctx) -> Iterable[Diagnostic]`, one module per family
(references, links, plan, dates, config, currency, playbook, portfolio, figures, audiences), in the
manner of yamllint's one-module-per-rule. They run in three groups around the score stage:
config rules decide whether criteria.yml can score anything at all; file rules judge each
file on its own and against the others; tier rules (cadence, key-account coverage, tier
sections, key share) judge accounts by the tier the score stage gave them. `validate` runs
the first two, `judge` the last; scoring.check scores in between. Nothing here needs mkdocs,
nor the score stage: the tier rules read the placements through `TierPlacements`. May import
core only.

Each rule declares the codes it reports (`@rule(...)`, see declare.py), the loader and the schema
checks theirs (`EMITS`); the runner holds each to its declaration, and `emitters()` lists them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic, apply_severity, has_errors, sort
from ..core.load import EMITS as READING_CODES
from ..core.load import LoadedRepo
from ..core.model import Account, AccountAsRead, Portfolio
from . import (
    audiences,
    config,
    currency,
    dates,
    figures,
    links,
    plan,
    playbook,
    portfolio,
    readings,
    references,
    schema,
)
from .context import RuleContext, TierPlacements
from .declare import Rule, own_codes

CONFIG_RULES = config.RULES
FILE_RULES = (*currency.RULES, *references.RULES, *links.RULES, *plan.RULES, *dates.RULES, *playbook.RULES,
              *figures.RULES, *readings.RULES, *audiences.RULES)
TIER_RULES = (*plan.TIER_RULES, *portfolio.RULES)


@dataclass(frozen=True)
class Checked:
    """Every file read into the model and judged on its own: what the score stage needs."""
    ctx: RuleContext
    diagnostics: tuple[Diagnostic, ...]
    scorable: bool  # criteria.yml is usable: the portfolio can be scored

    @property
    def portfolio(self) -> Portfolio:
        return self.ctx.portfolio


def validate(loaded: LoadedRepo, today: dt.date, memo: schema.SchemaMemo | None = None) -> Checked:
    """Every rule that does not need tiers. `memo` keeps each parsed document's schema check
    between runs over the same cached documents (see schema.account)."""
    found = own_codes("the loader", READING_CODES, list(loaded.diagnostics))
    criteria, problems = schema.criteria(loaded.criteria)
    found += problems
    team, problems = schema.team(loaded.team)
    found += problems
    accounts: list[AccountAsRead] = []
    for files in loaded.accounts:
        account, problems = schema.account(files, memo)
        found += problems
        accounts.append(account)
    own_codes("the schema checks", schema.EMITS, found[len(loaded.diagnostics):])
    # Only accounts with a profile can be scored, linked and shown; the rules still check the
    # other files of the rest, so that a broken account.yml does not hide their errors.
    ctx = RuleContext(loaded, Portfolio(criteria, team, tuple(a for a in accounts if isinstance(a, Account))),
                      today, tuple(accounts))
    config_problems = _run(CONFIG_RULES, ctx)
    scorable = criteria is not None and not has_errors(config_problems)
    return Checked(ctx, tuple(found + config_problems + _run(FILE_RULES, ctx)), scorable)


def judge(checked: Checked, scores: TierPlacements | None) -> tuple[Diagnostic, ...]:
    """The tier rules, then every diagnostic with criteria.yml's severity applied, sorted."""
    found = list(checked.diagnostics) + _run(TIER_RULES, checked.ctx.with_scores(scores))
    criteria = checked.portfolio.criteria
    overrides = criteria.severity if criteria else {}
    return tuple(sort(apply_severity(found, overrides)))


def emitters() -> dict[str, frozenset[str]]:
    """Who in `kam validate` reports which codes: the loader, the schema checks, each rule."""
    rules = {f"{r.__module__}.{r.__name__}": r.codes for r in (*CONFIG_RULES, *FILE_RULES, *TIER_RULES)}
    return {"account_playbooks.core.load": READING_CODES, "account_playbooks.validate.schema": schema.EMITS, **rules}


def _run(rules: tuple[Rule, ...], ctx: RuleContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in rules:
        found += own_codes(f"rule {rule.__module__}.{rule.__name__}", rule.codes, list(rule(ctx)))
    return found
