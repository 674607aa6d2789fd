"""Live tables shared by the generated pages and the playbook's macros, so both show one truth."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from ..core.formats import pct
from ..core.model import CriteriaConfig, Portfolio
from ..scoring.placement import CANDIDATE, STANDARD, Ladder
from ..scoring.score import Scores
from .escape import cell, html_text, md_text
from .pages import account_page, relative

if TYPE_CHECKING:  # `kam validate` reads the macros' signatures from here, and starts without pandas
    from ..analysis.analytics import Analytics


def criteria_table(criteria: CriteriaConfig) -> Markup:
    total = criteria.total_weight
    rows = ["| Criterion | Weight | What it measures | Anchors |", "|---|--:|---|---|"]
    for c in criteria.criteria:
        anchors = "; ".join(f"{score}: {text}" for score, text in sorted(c.anchors.items()))
        rows.append(f"| {cell(c.name)} (`{c.id}`) | {c.weight / total:.0%} | {cell(c.description)} | {cell(anchors)} |")
    return Markup("\n".join(rows))


def tier_table(criteria: CriteriaConfig, scores: Scores | None = None) -> Markup:
    counts = scores.table["tier"].value_counts() if scores is not None else {}
    plan_wide = len(criteria.plan.required_sections)
    rows = ["| Tier | Minimum score | Review at least every | Extra plan sections | Accounts now |",
            "|---|--:|--:|---|--:|"]
    for t in criteria.tiers:
        extra = ", ".join(t.required_sections) or "none"
        rows.append(f"| {cell(t.name)} | {t.min_score:.2f} | {t.review_every_days} days | {cell(extra)} | "
                    f"{int(counts.get(t.id, 0))} |")
    rows.append(f"| Standard | below {Ladder.of(criteria).lowest.min_score:.2f} | — | none (the {plan_wide} plan-wide sections apply) | "
                f"{int(counts.get(STANDARD, 0))} |")
    if counts.get(CANDIDATE, 0):
        rows.append(f"| Candidates | proposed scores, not accepted yet | — | none (the {plan_wide} plan-wide sections "
                    f"apply) | {int(counts[CANDIDATE])} |")
    return Markup("\n".join(rows))


def tier_counts(scores: Scores, analytics: Analytics) -> Markup:
    counts = scores.table["tier"].value_counts()
    parts = [f"{int(counts.get(t.id, 0))} {md_text(t.name)}" for t in scores.criteria.tiers]
    parts.append(f"{int(counts.get(STANDARD, 0))} standard")
    if counts.get(CANDIDATE, 0):
        parts.append(f"{int(counts[CANDIDATE])} candidates (proposed scores not accepted yet)")
    return Markup(f"Right now the portfolio has {', '.join(parts)}: {pct(scores.key_share)} of accounts are key "
                  f"(the limit is {pct(scores.criteria.limits.max_key_share)}).")


def required_sections(criteria: CriteriaConfig) -> Markup:
    # In <code>, not a Markdown code span: a code span would show the escapes themselves.
    lines = [f"- <code>## {html_text(s)}</code>" for s in criteria.plan.required_sections]
    for t in criteria.tiers:
        for s in t.required_sections:
            lines.append(f"- <code>## {html_text(s)}</code> ({md_text(t.name)} accounts only)")
    return Markup("\n".join(lines))


def promotion_candidates(portfolio: Portfolio, scores: Scores, here: str) -> Markup:
    lowest = scores.ladder.lowest
    rows = scores.table[scores.table["watch"] == "promotion"].sort_values("score", ascending=False)
    if rows.empty:
        return Markup(f"No standard account is within {scores.criteria.watch.promotion_margin} points of "
                      f"{md_text(lowest.name)} right now.")
    lines = []
    for account_id, row in rows.iterrows():
        name = portfolio.accounts_by_id[account_id].profile.name
        lines.append(f"- [{md_text(name)}]({relative(here, account_page(account_id))}): {row.score:.2f}, "
                     f"{row.gap:.2f} below {md_text(lowest.name)}; {md_text(scores.by_account[account_id].move_in_words)}")
    return Markup("\n".join(lines))


def account_link(portfolio: Portfolio, account_id: str, here: str) -> Markup:
    account = portfolio.accounts_by_id.get(account_id)
    if account is None:  # a playbook page naming an account that was renamed or removed
        return Markup(f"`{md_text(account_id)}` (no such account)")
    return Markup(f"[{md_text(account.profile.name)}]({relative(here, account_page(account_id))})")
