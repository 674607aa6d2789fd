"""criteria.yml's own rules: scale, weights, tier order, anchors, severity overrides."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.codes import CODES, CONFIGURABLE
from ..core.diagnostics import Diagnostic, diagnostic
from ..core.model import Watch
from ..core.text import suggest
from .context import RuleContext
from .declare import rule

PATH = "criteria.yml"


@rule("E106", "E108", "E401", "E402", "E403", "E404", "E405", "W401")
def criteria_config(ctx: RuleContext) -> Iterator[Diagnostic]:
    config = ctx.portfolio.criteria
    if config is None:
        return
    low, high = config.scale.min, config.scale.max
    scale_usable = low < high
    if not scale_usable:
        yield diagnostic(PATH, ctx.at(PATH, ("scale", "min")), "E404", f"scale min ({low}) must be below max ({high})")
    else:
        yield from _margins(ctx, config.watch, high - low)
    count = len(config.criteria)
    if not 3 <= count <= 5:
        yield diagnostic(PATH, ctx.at(PATH, ("criteria",), key=True), "W401",
                    f"{count} selection criteria; the method recommends 3 to 5")
    seen: dict[str, int] = {}
    for i, criterion in enumerate(config.criteria):
        if criterion.id in seen:
            yield diagnostic(PATH, ctx.at(PATH, ("criteria", i, "id")), "E108",
                        f"duplicate criterion id '{criterion.id}' (also at line {seen[criterion.id]})")
        seen.setdefault(criterion.id, ctx.at(PATH, ("criteria", i, "id"))[0])
        if criterion.weight <= 0:
            yield diagnostic(PATH, ctx.at(PATH, ("criteria", i, "weight")), "E401",
                        f"weight of '{criterion.id}' must be positive; got {criterion.weight:g}")
        for anchor in criterion.anchors:
            if scale_usable and not low <= anchor <= high:
                yield diagnostic(PATH, ctx.at(PATH, ("criteria", i, "anchors", anchor), key=True), "E403",
                            f"anchor {anchor} of '{criterion.id}' is outside the scale {low}-{high}")
    seen = {}
    previous = None
    for i, tier in enumerate(config.tiers):
        if tier.id in seen:
            yield diagnostic(PATH, ctx.at(PATH, ("tiers", i, "id")), "E108",
                        f"duplicate tier id '{tier.id}' (also at line {seen[tier.id]})")
        seen.setdefault(tier.id, ctx.at(PATH, ("tiers", i, "id"))[0])
        if scale_usable and not low <= tier.min_score <= high:
            yield diagnostic(PATH, ctx.at(PATH, ("tiers", i, "min_score")), "E402",
                        f"min_score {tier.min_score:g} of tier '{tier.id}' is outside the scale {low}-{high}")
        elif previous is not None and tier.min_score >= previous.min_score:
            yield diagnostic(PATH, ctx.at(PATH, ("tiers", i, "min_score")), "E402",
                        f"tier '{tier.id}' (min_score {tier.min_score:g}) must have a lower min_score than "
                        f"'{previous.id}' above it ({previous.min_score:g}); list tiers highest first")
        previous = tier
    for code in config.severity:
        if code not in CONFIGURABLE:
            why = "is not a warning code" if code in CODES else "is not a known code"
            yield diagnostic(PATH, ctx.at(PATH, ("severity", code), key=True), "E405",
                        f"'{code}' {why}; only warnings can change severity{suggest(code, sorted(CONFIGURABLE))}")


def _margins(ctx: RuleContext, watch: Watch, span: int) -> Iterator[Diagnostic]:
    """A watch margin wider than the scale would put every account on the watch list."""
    for name in ("promotion_margin", "demotion_margin"):
        margin = getattr(watch, name)
        if margin > span:
            yield diagnostic(PATH, ctx.at(PATH, ("watch", name)), "E106",
                        f"'watch.{name}' must be from 0 to {span}, the width of the scale; got {margin:g}")


RULES = (criteria_config,)
