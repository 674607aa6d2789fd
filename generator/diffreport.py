"""`kam diff` output: text for a terminal, Markdown for a pull-request comment, JSON for tools.

The Markdown stays within GitHub's 65,536-character comment limit: per-account sections are
dropped from the end, with a note saying how many, before the comment is ever refused.
"""

from __future__ import annotations

import html
import json

from .diff import AccountChange, PortfolioDiff
from .escape import cell

COMMENT_LIMIT = 65_536
MARKER = "<!-- kam-diff -->"  # the workflow finds its own comment by this


def _tier_move(change: AccountChange) -> str:
    if change.status == "added":
        return f"new account ({change.tier_after or 'not scored'})"
    if change.status == "removed":
        return f"removed (was {change.tier_before or 'not scored'})"
    if change.tier_before == change.tier_after:
        return change.tier_after or "not scored"
    cause = " (by the criteria change alone)" if change.tier_by_criteria_alone else ""
    return f"{change.tier_before or 'not scored'} → {change.tier_after or 'not scored'}{cause}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _details(change: AccountChange) -> list[str]:
    lines = []
    if change.status == "renamed":
        lines.append(f"folder moved from {change.previous_id} to {change.id}")
    if change.score_before != change.score_after:
        lines.append(f"score {_score(change.score_before)} → {_score(change.score_after)}")
    lines += [f"{m.criterion} {m.before:g} → {m.after:g}: {m.why}" for m in change.criteria]
    if change.health_before != change.health_after and change.status != "added":
        lines.append(f"plan health {change.health_before} → {change.health_after}")
    return lines + change.notes


def summary(d: PortfolioDiff) -> str:
    moved = [c for c in d.accounts if c.tier_before != c.tier_after and c.status in ("changed", "renamed")]
    added = sum(c.status == "added" for c in d.accounts)
    removed = sum(c.status == "removed" for c in d.accounts)
    parts = [f"{len(d.accounts)} account(s) changed", f"{len(moved)} tier change(s)"]
    if added or removed:
        parts.append(f"{added} added, {removed} removed")
    if d.criteria_changed:
        parts.append("criteria.yml changed")
    parts.append(f"{len(d.introduced)} new diagnostic(s), {len(d.fixed)} fixed")
    return "; ".join(parts)


def as_text(d: PortfolioDiff) -> str:
    out = [f"kam diff {d.base[:12]}..{d.head[:12] if d.head != 'working tree' else d.head}: {summary(d)}"]
    for line in d.criteria_changed:
        out.append(f"  criteria: {line}")
    for change in d.accounts:
        out.append(f"{change.id}: {_tier_move(change)}")
        out += [f"  {line}" for line in _details(change)]
    out += [f"new: {line}" for line in d.introduced]
    out += [f"fixed: {line}" for line in d.fixed]
    return "\n".join(out) + "\n"


def as_json(d: PortfolioDiff) -> str:
    return json.dumps(d.as_dict(), indent=2, ensure_ascii=False) + "\n"


def as_markdown(d: PortfolioDiff) -> str:
    head = [MARKER, f"**Account plans:** {cell(summary(d))}", ""]
    if d.criteria_changed:
        head += ["**criteria.yml changed:** " + cell("; ".join(d.criteria_changed)), ""]
    tier_rows = [c for c in d.accounts if c.tier_before != c.tier_after]
    if tier_rows:
        head += ["| Account | Tier | Score |", "|---|---|--:|"]
        head += [f"| {cell(c.name)} | {cell(_tier_move(c))} | {_score(c.score_before)} → {_score(c.score_after)} |"
                 for c in tier_rows]
        head.append("")
    tail = []
    if d.introduced or d.fixed:
        tail.append("<details><summary>Diagnostics</summary>\n")
        tail += [f"- new: `{line.replace('`', '')}`" for line in d.introduced]
        tail += [f"- fixed: `{line.replace('`', '')}`" for line in d.fixed]
        tail.append("\n</details>")
    sections = []
    for change in d.accounts:
        body = "\n".join(f"- {cell(line)}" for line in _details(change)) or "- no change in figures"
        sections.append(f"<details><summary>{html.escape(change.name)}: {html.escape(_tier_move(change))}</summary>"
                        f"\n\n{body}\n\n</details>")
    text = "\n".join(head + sections + tail)
    if len(text) <= COMMENT_LIMIT:
        return text + "\n"
    kept: list[str] = []
    budget = COMMENT_LIMIT - len("\n".join(head + tail)) - 200
    for section in sections:
        if len(section) + 1 > budget:
            break
        kept.append(section)
        budget -= len(section) + 1
    note = f"_{len(sections) - len(kept)} more account(s) not shown: the comment would pass GitHub's limit; run `kam diff` locally for all of them._"
    return "\n".join(head + kept + [note] + tail) + "\n"
