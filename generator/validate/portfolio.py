"""Portfolio rules: what only the whole scored portfolio can tell."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from .context import RuleContext
from .declare import rule


@rule("W402")
def key_share(ctx: RuleContext) -> Iterator[Diagnostic]:
    scores = ctx.scores
    if scores is None:
        return
    total = len(scores.placed)
    if not total or total != len(ctx.loaded.accounts):
        return  # some account could not be scored: its own errors come first, the share would be wrong
    key = scores.key_count  # candidates count as accounts, not as key
    limit = scores.criteria.limits.max_key_share
    if key / total > limit:
        yield diagnostic("criteria.yml", ctx.at("criteria.yml", ("limits", "max_key_share")), "W402",
                    f"{key} of {total} accounts ({key / total:.0%}) are key accounts; "
                    f"limits.max_key_share is {limit:.0%}")


RULES = (key_share,)
