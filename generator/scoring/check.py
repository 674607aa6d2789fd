"""The gate, readable top to bottom: load -> validate -> score -> judge (the rules that need tiers).

`check` is what `kam validate` runs, and what every other command starts from (the site, the
diff, the history, the import); it needs no mkdocs and no rendering.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic, has_errors
from ..core.load import ParsedCache, load
from ..core.model import Portfolio
from ..validate import judge, validate
from ..validate.schema import SchemaMemo
from .score import Scores, score_portfolio


def reference_date(explicit: dt.date | None = None, configured: str | None = None) -> dt.date:
    """The day date rules are judged on: --today, else $KAM_TODAY, else mkdocs.yml's
    `today`, else the real date. Fixing it makes CI runs and tests reproducible."""
    if explicit is not None:
        return explicit
    text = os.environ.get("KAM_TODAY") or configured
    return dt.date.fromisoformat(text) if text else dt.date.today()


@dataclass
class BuildCache:
    """What one build may keep for the next over the same folder (`kam serve`): documents parsed
    (by each file's identity on disk) and their schema checks. A one-off command has none."""
    parsed: ParsedCache = field(default_factory=dict)
    checked: SchemaMemo = field(default_factory=dict)


@dataclass(frozen=True)
class Validated:
    portfolio: Portfolio
    scores: Scores | None  # None when criteria.yml itself is unusable
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check(root: Path, today: dt.date, cache: BuildCache | None = None) -> Validated:
    """Everything `kam validate` needs; no mkdocs, no rendering."""
    checked = (validate(load(root), today) if cache is None else
               validate(load(root, cache.parsed), today, cache.checked))
    scores = score_portfolio(checked.portfolio) if checked.scorable else None
    return Validated(checked.portfolio, scores, judge(checked, scores))
