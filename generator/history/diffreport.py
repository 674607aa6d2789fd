"""`kam diff` output: text for a terminal, Markdown for a pull-request comment, JSON for tools.

Every text from the repository reaches the comment through `for_comment` (one inert line) and the
terminal through `for_terminal`. The comment stays well within GitHub's limit: it is cut between
lines, never inside one, and says what it left out; `full=True` gives the whole report (for the job
summary and the run's artifact).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from ..core.inert import for_comment, for_terminal
from .diff import AccountChange, PortfolioDiff

COMMENT_LIMIT = 65_536  # GitHub refuses a longer comment body
# What the comment may fill, counted in UTF-8 bytes: never fewer than the characters or UTF-16 units
# GitHub may count, with room left for the note on what was cut.
COMMENT_BUDGET = 60_000
MARKER = "<!-- kam-diff -->"  # the workflow finds its own comment by this and by its author
FIRST_LINES = 10  # every part gets this many lines before any part gets more


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
    return "\n".join(map(for_terminal, out)) + "\n"


def as_json(d: PortfolioDiff) -> str:
    return json.dumps(d.as_dict(), indent=2, ensure_ascii=False) + "\n"




@dataclass(frozen=True)
class _Part:
    """A part of the comment that may be cut between its lines: opening, lines, closing."""
    kind: str  # what one line is, for the note on what was cut
    opening: str
    lines: tuple[str, ...]
    closing: str

    def cut_line(self, left_out: int) -> str:
        return (f"| _{left_out:,} more not shown_ | | |" if self.kind == "tier change" else
                f"- _{left_out:,} more not shown_")

    def text(self, shown: int) -> str:
        lines = list(self.lines[:shown])
        if shown < len(self.lines):
            lines.append(self.cut_line(len(self.lines) - shown))
        return "\n".join([self.opening, *lines, self.closing]).strip("\n")

    @cached_property
    def _line_ends(self) -> tuple[int, ...]:
        return tuple(accumulate((_bytes(line) + 1 for line in self.lines), initial=0))

    def size(self, shown: int) -> int:
        """Bytes of `text(shown)` and the blank line after it, at most two too many (no stripping)."""
        cut = _bytes(self.cut_line(len(self.lines) - shown)) + 1 if shown < len(self.lines) else 0
        return _bytes(self.opening) + 1 + self._line_ends[shown] + cut + _bytes(self.closing) + 2


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _parts(d: PortfolioDiff) -> list[_Part]:
    """The comment's parts in reading order: criteria, tier changes, each account, diagnostics."""
    parts = []
    if d.criteria_changed:
        parts.append(_Part("criteria change", "**criteria.yml changed:**\n",
                           tuple(f"- {for_comment(line)}" for line in d.criteria_changed), ""))
    tier_rows = [c for c in d.accounts if c.tier_before != c.tier_after]
    if tier_rows:
        parts.append(_Part("tier change", "| Account | Tier | Score |\n|---|---|--:|", tuple(
            f"| {for_comment(c.name)} | {for_comment(_tier_move(c))} | {_score(c.score_before)} → "
            f"{_score(c.score_after)} |" for c in tier_rows), ""))
    for change in d.accounts:
        # An HTML block ends at a blank line: the summary is one line, and a blank line opens the list.
        lines = tuple(f"- {for_comment(line)}" for line in _details(change)) or ("- no change in figures",)
        parts.append(_Part("account detail line", f"<details><summary>{for_comment(change.name)}: "
                           f"{for_comment(_tier_move(change))}</summary>\n", lines, "\n</details>"))
    if d.introduced or d.fixed:
        lines = tuple(f"- new: {for_comment(line)}" for line in d.introduced)
        lines += tuple(f"- fixed: {for_comment(line)}" for line in d.fixed)
        parts.append(_Part("diagnostic", "<details><summary>Diagnostics</summary>\n", lines, "\n</details>"))
    return parts


def _priority(parts: list[_Part]) -> list[int]:
    """Which parts get room first: tier changes, criteria and diagnostics, then accounts in order."""
    rank = {"tier change": 0, "criteria change": 1, "diagnostic": 2}
    return sorted(range(len(parts)), key=lambda i: (rank.get(parts[i].kind, 3), i))


def fit(parts: list[_Part], budget: int) -> list[int | None]:
    """How many lines of each part fit in `budget` bytes (None: the part is left out). First every part
    gets up to FIRST_LINES lines, in priority order, with accounts stopping at half the room (each
    one's summary line repeats its tier move, so the table and diagnostics come before more of them);
    then what is left goes to the parts in priority order."""
    shown: list[int | None] = [None] * len(parts)
    left = budget
    for cap in (FIRST_LINES, None):
        for i in _priority(parts):
            part = parts[i]
            room = left - (budget // 2 if cap is not None and part.kind == "account detail line" else 0)
            count = shown[i]
            if count is None:
                first = min(1, len(part.lines))  # a part opens with a line of its own, or not at all
                if cap is None or part.size(first) > room:
                    continue
                count = first
                left, room = left - part.size(first), room - part.size(first)
            limit = len(part.lines) if cap is None else min(cap, len(part.lines))
            while count < limit and (more := part.size(count + 1) - part.size(count)) <= room:
                left, room = left - more, room - more
                count += 1
            shown[i] = count
    return shown


def _cut_note(parts: list[_Part], shown: list[int | None]) -> str:
    counts: dict[str, int] = {}
    for part, n in zip(parts, shown):
        if n is None and part.kind == "account detail line":
            counts["account section"] = counts.get("account section", 0) + 1
        else:
            counts[part.kind] = counts.get(part.kind, 0) + len(part.lines) - (n or 0)
    left_out = ", ".join(f"{n:,} {kind}(s)" for kind, n in counts.items() if n)
    return (f"**This comment is cut to fit GitHub's size limit.** Not shown: {left_out}. The whole report is in "
            "this workflow run's job summary and in its `kam-diff-report` artifact; `kam diff` shows it too.")


def as_markdown(d: PortfolioDiff, *, full: bool = False) -> str:
    """The pull-request comment; `full`: the whole report, however long."""
    head = f"{MARKER}\n**Account plans:** {for_comment(summary(d))}"
    parts = _parts(d)
    whole = "\n\n".join([head, *(p.text(len(p.lines)) for p in parts)]) + "\n"
    if full or _bytes(whole) <= COMMENT_BUDGET:
        return whole
    shown = fit(parts, COMMENT_BUDGET - _bytes(head) - 1_000)  # the note on what was cut takes < 400
    kept = [p.text(n) for p, n in zip(parts, shown) if n is not None]
    return "\n\n".join([head, _cut_note(parts, shown), *kept]) + "\n"
