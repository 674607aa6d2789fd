"""Diagnostics: one problem at one place, and the small functions that print them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .codes import CODES, DATED, Severity
from .inert import for_terminal


@dataclass(frozen=True)
class Diagnostic:
    path: str  # repo-relative, with '/'
    line: int  # from 1; a problem with a whole file (or folder) is reported at 1:1
    column: int  # from 1
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a typo here would ship an undocumented code
            raise ValueError(f"undeclared diagnostic code {self.code}")

    def as_dict(self) -> dict[str, str | int]:
        """The one JSON shape of a diagnostic: `kam validate --format json`, the import's report, any front end."""
        return {"path": self.path, "line": self.line, "column": self.column, "severity": self.severity.value,
                "code": self.code, "message": self.message}

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


def diagnostic(path: str, pos: tuple[int, int], code: str, message: str) -> Diagnostic:
    """A problem at `pos` (line, column), an error or a warning as its code says."""
    return Diagnostic(path, pos[0], pos[1], code, message, CODES[code].default_severity)


def sort(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(diagnostics), key=lambda d: d.sort_key))


def apply_severity(diagnostics: Iterable[Diagnostic], overrides: Mapping[str, str]) -> tuple[Diagnostic, ...]:
    """Apply criteria.yml's `severity:` table: raise a warning to an error, let it through as a notice,
    or switch it off. Only warnings are configurable (an entry naming an error is itself an E405)."""
    out = []
    for d in diagnostics:
        level = overrides.get(d.code) if d.code.startswith("W") else None
        if level == "off":
            continue
        if level in ("error", "warning", "notice"):
            d = replace(d, severity=Severity(level))
        out.append(d)
    return tuple(out)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def stops_strict(d: Diagnostic) -> bool:
    """Whether `--strict` stops on it: every error, and every warning but those the calendar
    brings (a review or an action falling due), which would otherwise stop the next publish of
    a repository nobody changed, just when the site should show them. A notice never does."""
    return d.severity is Severity.ERROR or (d.severity is Severity.WARNING and d.code not in DATED)


def format_text(d: Diagnostic) -> str:
    """One line for a terminal or a log: the path and message (repository text) with their control
    characters shown, never acted on."""
    return for_terminal(f"{d.path}:{d.line}:{d.column}: {d.severity.value}[{d.code}] {d.message}")


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(d: Diagnostic) -> str:
    kind = d.severity.value  # GitHub's three annotation levels are ours
    # The runner's log shows the message as a terminal would: its control characters are made visible
    # first (a line break too, which the annotation syntax could otherwise carry).
    path = _github_escape(for_terminal(d.path), property_value=True)
    props = f"file={path},line={max(d.line, 1)},col={max(d.column, 1)},title={d.code}"
    return f"::{kind} {props}::{_github_escape(for_terminal(d.message))}"


def as_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """The count, as in "2 errors, 1 warning"; notices are named only when there are some (most repositories have none)."""
    diagnostics = list(diagnostics)
    counts = Counter(d.severity for d in diagnostics)
    text = f"{counted(counts[Severity.ERROR], 'error')}, {counted(counts[Severity.WARNING], 'warning')}"
    return text + (f", {counted(counts[Severity.NOTICE], 'notice')}" if counts[Severity.NOTICE] else "")
