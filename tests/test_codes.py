"""The code registry: stable groups, every code documented, declared by whoever reports it and
tested, nothing undeclared can be raised."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
from pathlib import Path

import pytest

from account_playbooks import validate
from account_playbooks.core.codes import BUILD_CODES, CODES, CONFIGURABLE, IMPORT_CODES
from account_playbooks.core.diagnostics import Diagnostic
from account_playbooks.crm import importer, reader
from account_playbooks.site import audit, playbookpage

from .corpus import load_cases

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent / "generator"
_CODE = re.compile(r"(?<![A-Z0-9])([EW]\d{3})(?!\d)")


def test_codes_are_grouped_and_documented():
    for code, entry in CODES.items():
        assert re.fullmatch(r"E0\d\d|E[1-6]\d\d|W\d\d\d", code)
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


def _module(path: Path):
    return importlib.import_module(".".join(path.relative_to(SOURCE.parent).with_suffix("").parts))


def test_each_module_declares_the_codes_it_writes():
    """Static, so that a code only an unusual input reaches is held to it too: a module that writes a
    code declares it (`EMITS`, or a rule's `@rule(...)`), and a rule's own body writes only its codes."""
    undeclared = {}
    for path in sorted(SOURCE.rglob("*.py")):
        written = set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
        if path.name == "codes.py" or not written:
            continue
        module = _module(path)
        rules = [f for f in vars(module).values() if getattr(f, "__module__", None) == module.__name__
                 and isinstance(getattr(f, "codes", None), frozenset)]
        for f in rules:
            stray = set(re.findall(r'"([EW]\d{3})"', inspect.getsource(f))) - f.codes
            if stray:
                undeclared[f"{module.__name__}.{f.__name__}"] = sorted(stray)
        stray = written - getattr(module, "EMITS", frozenset()).union(*(f.codes for f in rules))
        if stray:
            undeclared[module.__name__] = sorted(stray)
    assert undeclared == {}


@functools.cache
def _asserted_codes() -> frozenset[str]:
    """Codes a test outside the corpus checks: written in an assert statement, or in a module-level
    table that a parametrized test reads (tests/test_import.py's BAD_INPUTS)."""
    found = set()
    for path in TESTS.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = {arg.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "parametrize" for arg in node.args if isinstance(arg, ast.Name)}
        checked = [node for node in ast.walk(tree) if isinstance(node, ast.Assert) or isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id in tables for t in node.targets)]
        for node in checked:
            for part in ast.walk(node):  # an f-string's literal parts are constants too
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found |= set(_CODE.findall(part.value))
    return frozenset(found)


def test_every_code_is_declared_documented_and_tested():
    """Each code: a rule (or the loader, the schema checks, the import, the build) declares it; the
    registry has an example; a corpus case shows it, or, for what only `kam import crm` and the build
    report, a test asserts it."""
    by_validate = frozenset().union(*validate.emitters().values())
    elsewhere = (reader.EMITS | importer.EMITS | playbookpage.EMITS | audit.EMITS) - by_validate
    # The corpus's exemptions are exactly what other commands report and `kam validate` never does.
    assert elsewhere == IMPORT_CODES | BUILD_CODES
    assert _gaps(by_validate, elsewhere, _corpus_codes(), _asserted_codes()) == {}


@functools.cache
def _corpus_codes() -> frozenset[str]:
    return frozenset({line.split("[", 1)[1].split("]", 1)[0] for case in load_cases() for line in case.expected})


def _gaps(by_validate: frozenset[str], elsewhere: frozenset[str], in_corpus: frozenset[str],
          asserted: frozenset[str]) -> dict[str, list[str]]:
    """What each registry code lacks, for the codes that lack something."""
    gaps = {}
    for code, entry in CODES.items():
        missing = [what for what, lacking in (
            ("no rule declares it", code not in by_validate | elsewhere),
            ("no example", not entry.example.strip()),
            ("no corpus case", code in by_validate and code not in in_corpus),
            ("no test asserts it", code in elsewhere and code not in asserted)) if lacking]
        if missing:
            gaps[code] = missing
    return gaps


def test_the_coverage_check_sees_what_is_missing():
    """The check above is not vacuous: a code without its corpus case, its assertion or a rule is a gap."""
    by_validate = frozenset().union(*validate.emitters().values())
    in_corpus, asserted = _corpus_codes(), _asserted_codes()
    assert {"E209", "E509", "E218"} <= in_corpus | asserted
    gaps = _gaps(by_validate - {"W402"}, IMPORT_CODES | BUILD_CODES, in_corpus - {"E209"}, asserted - {"E509"})
    assert gaps == {"E209": ["no corpus case"], "E509": ["no test asserts it"], "W402": ["no rule declares it"]}
