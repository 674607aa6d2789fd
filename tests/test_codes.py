"""The code registry: stable groups, every code documented, nothing undeclared can be raised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core.codes import CODES, CONFIGURABLE
from generator.core.diagnostics import Diagnostic

SOURCE = Path(__file__).resolve().parent.parent / "generator"


def test_codes_are_grouped_and_documented():
    for code, entry in CODES.items():
        assert re.fullmatch(r"E0\d\d|E[1-5]\d\d|W\d\d\d", code)
        assert entry.title and entry.meaning and entry.example and entry.fix
    assert CONFIGURABLE == {c for c in CODES if c.startswith("W")}


def test_every_code_used_in_the_source_is_declared():
    used = set()
    for path in SOURCE.rglob("*.py"):
        if path.name != "codes.py":
            used |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()
    assert set(CODES) - used == set(), "declared codes that nothing raises"


def test_undeclared_codes_cannot_be_raised():
    with pytest.raises(ValueError):
        Diagnostic("x", 1, 1, "E999", "nope")
