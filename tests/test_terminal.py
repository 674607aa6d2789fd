"""Terminal tables: laid out to the console's width without cutting what a reader needs."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

from account_playbooks.cli.terminal import Column, fit_columns, print_score_table

TABLE = pd.DataFrame({
    "score": [7.35, 4.1], "tier": ["gold", "standard"], "next_tier": ["platinum", "silver"], "gap": [0.65, 0.9],
    "closing_move": ["raise relationship_strength from 6 to 9", "not reachable by one criterion"],
    "watch": ["at_risk", ""], "contribution.relationship_strength": [1.4, 0.6],
    "contribution.revenue_potential": [3.5, 1.0], "health": [88, 40],
}, index=pd.Index(["northwind-logistics-emea-holdings", "acme"], name="account"))


def render(width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    print_score_table(TABLE, console)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [60, 80, 120])
def test_account_score_and_tier_are_never_cut(width):
    text = render(width)
    assert max(map(len, text.splitlines())) <= width
    first = next(line for line in text.splitlines() if "northwind" in line)
    assert [c.strip() for c in first.strip("│").split("│")][:3] == ["northwind-logistics-emea-holdings", "7.35", "gold"]
    assert "│acme " in text and "4.10" in text and "standard" in text


def test_other_columns_give_way_lowest_priority_first():
    columns = [Column("account", tuple(TABLE.index), False)]
    columns += [Column(name, tuple(map(str, TABLE[name])), name != "closing_move") for name in TABLE.columns]
    hidden_at = {width: [c.name for c in fit_columns(columns, width)[1]] for width in (80, 120, 200)}
    assert hidden_at[200] == []
    assert hidden_at[120] == ["contribution.relationship_strength", "contribution.revenue_potential"]
    assert hidden_at[80] == ["next_tier", "gap", "closing_move", "contribution.relationship_strength",
                             "contribution.revenue_potential"]
    shown, _ = fit_columns(columns, 200)
    assert all(width == column.natural for column, width in shown)
    assert "Not shown at this width: +relationship_strength, +revenue_potential (use --csv or --json)" in render(120)


def test_a_long_move_wraps_at_spaces_rather_than_being_cut():
    cells = [line.split("│")[6].strip() for line in render(120).splitlines() if line.startswith("│")]
    assert cells[:3] == ["raise", "relationship_strength", "from 6 to 9"]


def test_repository_text_in_the_table_is_shown_not_obeyed():
    """A tier name with an escape sequence or rich markup: shown as written, never acted on."""
    table = TABLE.assign(tier=["Gold [closed] [/]", "\x1b]0;pwned\x07\x1b[2K\r\u202eevil"])
    console = Console(width=200, file=io.StringIO(), color_system=None)
    print_score_table(table, console)
    text = console.file.getvalue()
    assert "Gold [closed] [/]" in text and "\\x1b]0;pwned\\x07\\x1b[2K\\x0d\\u202eevil" in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
