"""Plan rules: required sections, criterion scores, goals, stakeholder coverage, cadences."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from ..core.mdtext import HeadingLine, heading_lines, lines_with_fences
from ..core.model import HORIZONS
from ..core.prompts import is_prompt
from .context import RuleContext
from .declare import rule


@rule("E301", "E302", "E304")
def plan_sections(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        plan = account.plan
        if plan is None:
            continue
        seen: dict[str, int] = {}
        for section in plan.sections:
            key = section.title.casefold()
            if key in seen:
                yield diagnostic(plan.path, (section.line, 1), "E304",
                            f"section '{section.title}' appears twice (first at line {seen[key]})")
            else:
                seen[key] = section.line
        by_title = {s.title.casefold(): s for s in plan.sections}
        tier = ctx.tiers.get(account.id)
        required = ctx.portfolio.criteria.sections_for(tier) if ctx.portfolio.criteria else ()
        required_keys = frozenset(t.casefold() for t in required)
        headings = None  # read only when a section is missing
        for title in required:
            found = by_title.get(title.casefold())
            if found is None:
                why = f" for {tier.name} accounts" if tier and title in tier.required_sections else ""
                message = f"required plan section '## {title}' is missing{why}"
                if headings is None:
                    headings = [h for h in heading_lines(plan.body, plan.body_line) if not
                                (h.level == 2 and h.spaced and not h.indented and h.title.casefold() in required_keys)]
                miss = _near_miss(title, headings, required_keys)
                if miss is None:
                    yield diagnostic(plan.path, (1, 1), "E301", message)
                else:
                    heading, reasons = miss
                    yield diagnostic(plan.path, (heading.line, 1), "E301",
                                f"{message}; line {heading.line} has '{heading.text}' ({reasons}) — did you mean it?")
            elif not found.body:
                yield diagnostic(plan.path, (found.line, 1), "E302", f"required plan section '## {title}' is empty")


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u2033": '"'})


def _normal(title: str) -> str:
    return " ".join(title.translate(_QUOTES).split()).casefold().rstrip(":.")


def _near_miss(title: str, headings: list[HeadingLine], required_keys: frozenset[str]) -> tuple[HeadingLine, str] | None:
    """The heading that was probably meant as the missing section `title`, with what differs:
    the wrong level, no space after '##', curly quotes, extra spaces or a small typo."""
    wanted = _normal(title)
    same = [h for h in headings if _normal(h.title) == wanted]
    close = [h for h in headings if h.title.casefold() not in required_keys
             and difflib.SequenceMatcher(None, _normal(h.title), wanted).ratio() >= 0.85]
    if not same and not close:
        return None
    heading = (same or close)[0]
    reasons = []
    if heading.level != 2:
        reasons.append(f"'{'#' * heading.level}' instead of '##'")
    if not heading.spaced:
        reasons.append(f"no space after '{'#' * heading.level}'")
    if heading.indented:
        reasons.append("indented")
    if not same:
        reasons.append("spelt differently")
    elif any(c in heading.title for c in "\u2018\u2019\u201b\u2032\u00b4`"):
        reasons.append("curly apostrophe")
    elif any(c in heading.title for c in "\u201c\u201d\u201f\u2033"):
        reasons.append("curly quotes")
    elif " ".join(heading.title.split()) != heading.title:
        reasons.append("extra spaces")
    elif heading.title.rstrip(":.") != heading.title:
        reasons.append("punctuation at the end")
    return heading, ", ".join(reasons)


@rule("W309")
def plan_prompts(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section that still holds the scaffold's prompt has not been written yet. A candidate's
    plan is not judged: nobody has taken the imported account on yet (plan health still counts
    its sections as unwritten)."""
    for account in ctx.accounts:
        plan = account.plan
        if plan is None or (account.profile is not None and account.profile.is_candidate):
            continue
        prose = {plan.body_line + i: line for i, line, in_code in lines_with_fences(plan.body) if not in_code}
        ends = [s.line for s in plan.sections[1:]] + [plan.body_line + plan.body.count("\n") + 1]
        for section, end in zip(plan.sections, ends):
            for line in range(section.line + 1, end):
                if line in prose and is_prompt(prose[line]):
                    yield diagnostic(plan.path, (line, 1), "W309",
                                f"section '## {section.title}' still holds the template prompt; "
                                "replace it with the section's content")
                    break


@rule("E106", "E303")
def criterion_scores(ctx: RuleContext) -> Iterator[Diagnostic]:
    criteria = ctx.portfolio.criteria
    if criteria is None:
        return
    low, high = criteria.scale.min, criteria.scale.max
    scale_usable = low < high  # else E404 is the one error, not one per score
    for account in ctx.portfolio.accounts:
        path = f"{account.dir}/account.yml"
        profile = account.profile
        # A candidate has no scores by design: its proposals wait for a person (model.is_candidate).
        missing = [] if profile.is_candidate else [c.id for c in criteria.criteria if c.id not in profile.scores]
        if missing:
            yield diagnostic(path, ctx.at(path, ("scores",), key=True), "E303",
                        f"no score for criteri{'a' if len(missing) > 1 else 'on'} {', '.join(missing)}")
        for key, what in (("scores", "score"), ("proposed_scores", "proposed score")):
            for criterion_id, entry in getattr(profile, key).items():
                if scale_usable and not low <= entry.score <= high:
                    yield diagnostic(path, ctx.at(path, (key, criterion_id, "score")), "E106",
                                f"{what} for '{criterion_id}' must be within the scale {low}-{high}; got {entry.score:g}")


@rule("W303", "W304", "W307")
def goal_rules(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/goals.yml"
        if ctx.is_key(account.id) and ctx.all_valid(path, account.goals):
            covered = account.covered_horizons()
            missing = [h for h in HORIZONS if h not in covered]
            if missing:
                yield diagnostic(path, (1, 1), "W303",
                            f"key account has no {', '.join(missing)}-term goal")
        for loc, g in account.located_goals():
            if g.status == "done" and g.measure is not None and g.measure.current < g.measure.target:
                yield diagnostic(path, ctx.at(path, loc + ("measure", "current")), "W304",
                            f"goal '{g.id}' is done but its measure is {g.measure.current:g} of {g.measure.target:g}")
            if g.past_due(ctx.today):
                yield diagnostic(path, ctx.at(path, loc + ("due",)), "W307",
                            f"goal '{g.id}' was due {g.due.isoformat()} and is {g.status.replace('_', ' ')}")


_ROLE_CODES = {"champion": "W305", "decision_maker": "W306"}  # one code per role of model.BUYING_CENTRE


@rule("W305", "W306")
def stakeholder_coverage(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        path = f"{account.dir}/stakeholders.yml"
        if not ctx.is_key(account.id) or not ctx.all_valid(path, account.stakeholders):
            continue
        missing = account.missing_roles()
        for role, code in _ROLE_CODES.items():
            if role in missing:
                yield diagnostic(path, (1, 1), code, f"key account has no {role.replace('_', ' ')} in its stakeholder map")


@rule("W301", "W302", "W308")
def review_cadence(ctx: RuleContext) -> Iterator[Diagnostic]:
    for account in ctx.accounts:
        tier = ctx.tiers.get(account.id)
        # With an unreadable review, "latest" would be a guess: its own error says enough.
        if tier is None or not ctx.all_reviews_valid(account):
            continue
        last = account.last_review
        if last is None:
            yield diagnostic(f"{account.dir}/account.yml", (1, 1), "W302",
                        f"{tier.name} account has no review; {tier.name} accounts are reviewed every "
                        f"{tier.review_every_days} days")
            continue
        if account.review_overdue(tier.review_every_days, ctx.today):
            age = (ctx.today - last.meta.date).days
            yield diagnostic(last.path, ctx.at(last.path, ("date",)), "W301",
                        f"latest review is {age} days old; {tier.name} accounts are reviewed every "
                        f"{tier.review_every_days} days (overdue by {age - tier.review_every_days})")
        for tracked in account.open_actions:  # open until a review closes it, wherever it was agreed
            action, review = tracked.action, tracked.latest
            if action.past_due(ctx.today):
                yield diagnostic(review.path, ctx.at(review.path, ("actions", tracked.index, "due")), "W308",
                                 f"action '{action.title}' ({action.owner}) was due {action.due.isoformat()}")


@rule("W312")
def renewal_preparation(ctx: RuleContext) -> Iterator[Diagnostic]:
    """The attention list's renewal item (Account.renewal_unprepared), at the contract's renewal date."""
    for account in ctx.accounts:
        tier, profile = ctx.tiers.get(account.id), account.profile
        if tier is None or profile is None or profile.contract is None or not ctx.all_reviews_valid(account):
            continue
        if account.renewal_unprepared(tier.review_every_days, ctx.today):
            contract, path = profile.contract, f"{account.dir}/account.yml"
            left = contract.days_left(ctx.today)
            when = f"renews in {left} days" if left >= 0 else f"was due to renew {-left} days ago"
            yield diagnostic(path, ctx.at(path, ("contract", "renewal")), "W312",
                             f"contract {when} ({contract.renewal.isoformat()}) and no executive review since the "
                             f"term began ({contract.last_renewal.isoformat()}); {tier.name} accounts are "
                             f"reviewed every {tier.review_every_days} days")


RULES = (plan_prompts, criterion_scores)
# These judge an account by its tier, so they run after the score stage.
TIER_RULES = (plan_sections, goal_rules, stakeholder_coverage, review_cadence, renewal_preparation)
