"""Rules declare their codes, and the runner holds each rule, the loader and the schema checks to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings

import pytest

from account_playbooks.core.diagnostics import diagnostic
from account_playbooks.core.load import load
from account_playbooks.validate import _run, validate
from account_playbooks.validate.declare import UndeclaredCode, own_codes, rule

from .corpus import BASE, TODAY


@rule("E204")
def _strays(ctx):
    yield diagnostic("accounts/x/stakeholders.yml", (3, 5), "E204", "declared")
    yield diagnostic("accounts/x/stakeholders.yml", (4, 5), "E205", "not declared")


def test_a_rule_carries_the_codes_it_declares():
    assert _strays.codes == frozenset({"E204"})


def test_a_declaration_of_a_code_the_registry_lacks_fails_at_once():
    with pytest.raises(ValueError, match="E999"):
        rule("E204", "E999")


def test_a_rule_reporting_a_code_it_does_not_declare_fails_the_tests():
    # pyproject.toml's filterwarnings makes the warning an error here: without it this does not raise.
    with pytest.raises(AssertionError, match=r"rule tests\.test_declare\._strays reported E205, which it does not"):
        _run((_strays,), None)


def test_in_production_the_stray_code_is_still_reported_and_the_bug_is_a_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        found = _run((_strays,), None)
    assert [d.code for d in found] == ["E204", "E205"]
    assert [(w.category, str(w.message)) for w in caught] == [
        (UndeclaredCode, "rule tests.test_declare._strays reported E205, which it does not declare")]


def test_a_rule_within_its_declaration_passes_its_diagnostics_through():
    found = [diagnostic("criteria.yml", (1, 1), "W402", "fine")]
    assert own_codes("someone", frozenset({"W402"}), found) is found


def test_the_loaders_diagnostics_are_held_to_its_declaration():
    loaded = load(BASE)
    # W402 is the key-share rule's; nothing that reads files reports it.
    strayed = dataclasses.replace(loaded, diagnostics=(diagnostic("criteria.yml", (1, 1), "W402", "misplaced"),))
    with pytest.raises(UndeclaredCode, match="the loader reported W402"):
        validate(strayed, dt.date.fromisoformat(TODAY))
