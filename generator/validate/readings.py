"""What the QBR brief reads besides the plan: each review's readings of the goals' measures, and the asks
written in strategy.md's front matter. A reading must name a goal that has a measure; an ask names a
stakeholder and a goal of the same account."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.text import suggest
from .context import RuleContext
from .declare import rule


@rule("E611", "E612")
def measure_readings(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        known = ctx.goal_ids[account.id]
        # Only goals that passed the schema can be known to lack a measure; a broken entry has its own error.
        unmeasured = {g.id for g in account.goals if g.measure is None}
        for review in account.reviews:
            for goal_id in review.meta.measures:
                where = ctx.at(review.path, ("measures", goal_id), key=True)
                if ctx.unknown(goal_id, known):
                    yield diagnostic(review.path, where, "E611", f"reading for unknown goal '{goal_id}'"
                                     f"{suggest(goal_id, known or ())}")
                elif goal_id in unmeasured:
                    yield diagnostic(review.path, where, "E612",
                                     f"reading for goal '{goal_id}', which has no measure in goals.yml")


@rule("E204", "E206")
def ask_references(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        if account.plan is None:
            continue
        path = account.plan.path
        stakeholders, goals = ctx.stakeholder_ids[account.id], ctx.goal_ids[account.id]
        for i, ask in enumerate(account.plan.asks):
            if ask.of is not None and ctx.unknown(ask.of, stakeholders):
                yield diagnostic(path, ctx.at(path, ("asks", i, "of")), "E204",
                                 f"'of' names unknown stakeholder '{ask.of}'{suggest(ask.of, stakeholders or ())}")
            if ask.goal is not None and ctx.unknown(ask.goal, goals):
                yield diagnostic(path, ctx.at(path, ("asks", i, "goal")), "E206",
                                 f"'goal' names unknown goal '{ask.goal}'{suggest(ask.goal, goals or ())}")


RULES = (measure_readings, ask_references)
