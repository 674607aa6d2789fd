"""What a long list of diagnostics comes to: how many of each code, and where to start.

A new team's first import prints hundreds of warnings; read one by one they say nothing about
what to do first. The tally groups them by code (with the code's title) and names the account or
file with the most of the most serious kind, so a person knows where the work is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .codes import CODES, Severity
from .diagnostics import Diagnostic, counted
from .inert import for_terminal

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.NOTICE: "notices"}


@dataclass(frozen=True)
class CodeCount:
    code: str
    severity: Severity
    count: int

    @property
    def title(self) -> str:
        return CODES[self.code].title


def by_code(diagnostics: Iterable[Diagnostic]) -> tuple[CodeCount, ...]:
    """One row per code: errors first, then warnings, then notices; the most frequent first within each."""
    counts = Counter((d.code, d.severity) for d in diagnostics)
    rows = (CodeCount(code, severity, count) for (code, severity), count in counts.items())
    return tuple(sorted(rows, key=lambda row: (_RANK[row.severity], -row.count, row.code)))


def place(d: Diagnostic) -> str:
    """Where a person fixes it: the account's folder for anything inside one, else the file."""
    parts = d.path.split("/")
    return "/".join(parts[:2]) if parts[0] == "accounts" and len(parts) > 2 else d.path


def where_to_start(diagnostics: Iterable[Diagnostic]) -> str | None:
    """The account or file holding the most of the most serious kind found, or None when they are all
    in one place (the list already says where)."""
    diagnostics = list(diagnostics)
    if not diagnostics:
        return None
    worst = min((d.severity for d in diagnostics), key=_RANK.__getitem__)
    places = Counter(place(d) for d in diagnostics if d.severity is worst)
    if len(places) < 2:
        return None
    top, count = min(places.items(), key=lambda item: (-item[1], item[0]))  # ties: the first by name
    return (f"Start with {for_terminal(top)}: {count} of the {sum(places.values())} {_PLURAL[worst]}, "
            "the most of any account or file.")


def table(diagnostics: Iterable[Diagnostic]) -> tuple[str, ...]:
    """The by-code lines a terminal shows under the count: only our own codes and titles, and a
    place name made inert."""
    diagnostics = list(diagnostics)
    rows = by_code(diagnostics)
    if not rows:
        return ()
    width = len(str(max(row.count for row in rows)))
    lines = [f"  {row.count:>{width}}  {row.code} {row.severity.value:<7}  {row.title}" for row in rows]
    start = where_to_start(diagnostics)
    return (*lines, *([start] if start else []))


def errors_only_summary(diagnostics: Iterable[Diagnostic]) -> str:
    """For --errors-only: the errors counted, and the warnings and notices left out counted apart
    ("0 errors, 0 warnings" would hide them)."""
    counts = Counter(d.severity for d in diagnostics)
    left = [counted(counts[s], s.value) for s in (Severity.WARNING, Severity.NOTICE) if counts[s]]
    return counted(counts[Severity.ERROR], "error") + (f"; {' and '.join(left)} not shown (--errors-only)" if left else "")
