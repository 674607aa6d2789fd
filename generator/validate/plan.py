"""Plan rules: required sections, criterion scores, goals, stakeholder coverage, cadences."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, error
from ..model import HORIZONS
from .context import RuleContext


def plan_sections(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        plan = account.plan
        if plan is None:
            continue
        seen: dict[str, int] = {}
        for section in plan.sections:
            key = section.title.casefold()
            if key in seen:
                yield error(plan.path, (section.line, 1), "E304",
                            f"section '{section.title}' appears twice (first at line {seen[key]})")
            else:
                seen[key] = section.line
        by_title = {s.title.casefold(): s for s in plan.sections}
        tier = ctx.tiers.get(account.id)
        required = ctx.portfolio.criteria.sections_for(tier) if ctx.portfolio.criteria else ()
        for title in required:
            section = by_title.get(title.casefold())
            if section is None:
                why = f" for {tier.name} accounts" if tier and title in tier.required_sections else ""
                yield error(plan.path, (1, 1), "E301", f"required plan section '## {title}' is missing{why}")
            elif not section.body:
                yield error(plan.path, (section.line, 1), "E302", f"required plan section '## {title}' is empty")


def criterion_scores(ctx: RuleContext) -> Iterator[Diagnostic]:
    criteria = ctx.portfolio.criteria
    if criteria is None:
        return
    low, high = criteria.scale.min, criteria.scale.max
    scale_usable = low < high  # else E404 is the one error, not one per score
    for account in ctx.portfolio.accounts:
        path = f"{account.dir}/account.yml"
        scores = account.profile.scores
        missing = [c.id for c in criteria.criteria if c.id not in scores]
        if missing:
            yield error(path, ctx.at(path, ("scores",), key=True), "E303",
                        f"no score for criteri{'a' if len(missing) > 1 else 'on'} {', '.join(missing)}")
        for criterion_id, entry in scores.items():
            if scale_usable and not low <= entry.score <= high:
                yield error(path, ctx.at(path, ("scores", criterion_id, "score")), "E106",
                            f"score for '{criterion_id}' must be within the scale {low}-{high}; got {entry.score:g}")


def goal_rules(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/goals.yml"
        if ctx.is_key(account.id) and ctx.all_valid(path, account.goals):
            covered = {g.horizon for g in account.goals if g.status != "dropped"}
            missing = [h for h in HORIZONS if h not in covered]
            if missing:
                yield error(path, (1, 1), "W303",
                            f"key account has no {', '.join(missing)}-term goal")
        for loc, g in account.located_goals():
            if g.status == "done" and g.measure is not None and g.measure.current < g.measure.target:
                yield error(path, ctx.at(path, loc + ("measure", "current")), "W304",
                            f"goal '{g.id}' is done but its measure is {g.measure.current:g} of {g.measure.target:g}")
            if g.due < ctx.today and g.status not in ("done", "dropped"):
                yield error(path, ctx.at(path, loc + ("due",)), "W307",
                            f"goal '{g.id}' was due {g.due.isoformat()} and is {g.status.replace('_', ' ')}")


def stakeholder_coverage(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/stakeholders.yml"
        if not ctx.is_key(account.id) or not ctx.all_valid(path, account.stakeholders):
            continue
        roles = {s.role for s in account.stakeholders}
        if "champion" not in roles:
            yield error(path, (1, 1), "W305", "key account has no champion in its stakeholder map")
        if "decision_maker" not in roles:
            yield error(path, (1, 1), "W306", "key account has no decision maker in its stakeholder map")


def review_cadence(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        tier = ctx.tiers.get(account.id)
        # With an unreadable review, "latest" would be a guess: its own error says enough.
        if tier is None or not ctx.all_reviews_valid(account):
            continue
        last = account.last_review
        if last is None:
            yield error(f"{account.dir}/account.yml", (1, 1), "W302",
                        f"{tier.name} account has no review; {tier.name} accounts are reviewed every "
                        f"{tier.review_every_days} days")
            continue
        age = (ctx.today - last.meta.date).days
        if age > tier.review_every_days:
            yield error(last.path, ctx.at(last.path, ("date",)), "W301",
                        f"latest review is {age} days old; {tier.name} accounts are reviewed every "
                        f"{tier.review_every_days} days (overdue by {age - tier.review_every_days})")
        for i, action in enumerate(last.meta.actions):
            if action.due < ctx.today:
                yield error(last.path, ctx.at(last.path, ("actions", i, "due")), "W308",
                            f"action '{action.title}' ({action.owner}) was due {action.due.isoformat()}")


RULES = (plan_sections, criterion_scores, goal_rules, stakeholder_coverage, review_cadence)
