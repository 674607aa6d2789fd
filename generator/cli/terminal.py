"""Tables for the terminal, laid out to the terminal's width.

rich shrinks every column evenly when a table is too wide, cutting account ids and scores to
"acme-cor…" and "7."; here the widths are decided up front instead, so the columns a reader
needs are never cut and the others wrap or give way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.inert import for_terminal
from ..scoring.placement import NOT_KEY

# The columns a reader needs on every row: never narrowed, never dropped.
ESSENTIAL = ("account", "score", "tier", "new_score", "new_tier")
HEADER_MIN = 8  # a header may fold onto several lines, but not to a few letters per line


@dataclass(frozen=True)
class Column:
    name: str
    cells: tuple[str, ...]
    numeric: bool

    @property
    def header(self) -> str:
        return "proposal" if self.name == "proposed_tier" else self.name.replace("contribution.", "+")

    @property
    def essential(self) -> bool:
        return self.name in ESSENTIAL

    @property
    def wraps(self) -> bool:
        return self.name == "closing_move"  # a sentence: wraps at spaces

    @property
    def priority(self) -> int:
        """Which columns give way first when the terminal is narrow (lowest first)."""
        if self.essential:
            return 4
        if self.name.startswith("contribution."):
            return 0
        return {"closing_move": 1, "next_tier": 2, "gap": 2}.get(self.name, 3)

    @property
    def natural(self) -> int:
        return max([len(self.header), *map(len, self.cells)])

    @property
    def narrowest(self) -> int:
        if self.essential:
            return self.natural
        words = [w for c in self.cells for w in (c.split() if self.wraps else [c])]
        return max([min(len(self.header), HEADER_MIN), *map(len, words)])


def _table_overhead(count: int) -> int:
    # rich's default box: a border left, right and between columns, plus one space of padding
    # on each side of a column except at the table's edges (pad_edge=False).
    return (count + 1) + 2 * (count - 1)


def fit_columns(columns: list[Column], width: int) -> tuple[list[tuple[Column, int]], list[Column]]:
    """Widths that fit `width`: essential columns at full width, the others at least as wide as
    their longest value; columns that cannot fit are left out, lowest priority first."""
    shown = list(columns)
    hidden = []
    while sum(c.narrowest for c in shown) + _table_overhead(len(shown)) > width:
        droppable = [c for c in reversed(shown) if not c.essential]  # rightmost first among equals
        if not droppable:
            break  # under ~40 columns even the essential ones overflow: rich squeezes them
        victim = min(droppable, key=lambda c: c.priority)
        shown.remove(victim)
        hidden.append(victim)
    widths = {c.name: c.narrowest for c in shown}
    spare = width - sum(widths.values()) - _table_overhead(len(shown))
    for column in sorted(shown, key=lambda c: -c.priority):  # room for whole headers, most useful first
        extra = max(0, min(spare, column.natural - widths[column.name]))
        widths[column.name] += extra
        spare -= extra
    return [(c, widths[c.name]) for c in shown], [c for c in columns if c in hidden]


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.2f}"  # NaN: no next tier
    return "" if value is None else for_terminal(str(value))


def print_score_table(table: pd.DataFrame, console: Console) -> None:
    """`kam score`'s terminal view: short headers, blanks for missing figures, standard accounts
    and candidates dimmed. Account, score and tier are never cut; at narrow widths other columns wrap or are
    left out, and the caption says which."""
    columns = [Column("account", tuple(map(_cell, table.index)), False)]
    columns += [Column(for_terminal(name), tuple(_cell(v) for v in table[name]), table[name].dtype.kind in "fi")
                for name in table.columns]
    shown, hidden = fit_columns(columns, console.width)
    caption = (f"Not shown at this width: {', '.join(c.header for c in hidden)} (use --csv or --json)"
               if hidden else None)
    view = Table(header_style="bold", pad_edge=False, caption=caption, caption_justify="left")
    for column, width in shown:  # Text, never markup: "[closed]" in a name is shown, not taken for a style
        view.add_column(Text(column.header), justify="right" if column.numeric else "left", width=width,
                        no_wrap=column.essential, overflow="fold")
    tiers = table["new_tier" if "new_tier" in table.columns else "tier"].tolist()
    for row, tier in enumerate(tiers):
        view.add_row(*(Text(column.cells[row]) for column, _ in shown), style="dim" if tier in NOT_KEY else None)
    console.print(view)
