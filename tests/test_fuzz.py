"""Fuzzing the validate stage: mutated account files always end in diagnostics or success.

Hypothesis drops keys, changes types, inserts random text, truncates and duplicates lines in
valid files; whatever it does, `validate` must return located diagnostics, never raise.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from account_playbooks.scoring.check import check

from .corpus import BASE

pytestmark = pytest.mark.slow  # hypothesis mutates files through the whole pipeline

TARGETS = ["accounts/kan-code/account.yml", "accounts/kan-code/stakeholders.yml", "accounts/kan-code/goals.yml",
           "accounts/kan-code/strategy.md", "accounts/kan-code/reviews/2026-11-12-executive-review.md",
           "criteria.yml", "team.yml"]
VALUES = ["[]", "{}", "123", "-4.5", "null", "true", '"x"', "- a", "2026-02-30", "&a x", "*a", "{{ 7*7 }}",
          "<script>", "|", ">", "!!binary aGk=", "'unterminated", "[[nowhere]]", "é", "\t", ": :", "---",
          # pasted and merged text: conflict markers, controls, bidi, invisibles, curly quotes, commas in numbers
          "\n<<<<<<< HEAD\n", "\n=======\n", "\n>>>>>>> main\n", "\n||||||| base\n", "\x0b", "\x0c", "\r",
          "\x1b[2K", "\x85", "\u2028", "\u202e", "\u2066", "\u200e", "\u061c", "\u200b", "\u200d", "\u2060",
          "\ufeff", "\u00a0", "\u00ad", "“x, y”", "‘x: y’", "7,5", "2,803,660", "1.234,50", "0.97", "🚀"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    target = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(BASE, target)
    return target


def mutate(text: str, operation: str, position: int, value: str) -> str:
    lines = text.split("\n")
    index = position % max(len(lines), 1)
    if operation == "drop_line":
        del lines[index]
    elif operation == "duplicate_line":
        lines.insert(index, lines[index])
    elif operation == "replace_value" and ": " in lines[index]:
        key, _, _ = lines[index].partition(": ")
        lines[index] = f"{key}: {value}"
    elif operation == "insert_text":
        line = lines[index]
        cut = position % (len(line) + 1)
        lines[index] = line[:cut] + value + line[cut:]
    elif operation == "truncate":
        return text[: position % (len(text) + 1)]
    elif operation == "swap_lines" and len(lines) > 1:
        other = (index * 7 + 3) % len(lines)
        lines[index], lines[other] = lines[other], lines[index]
    return "\n".join(lines)


mutation = st.tuples(st.sampled_from(["drop_line", "duplicate_line", "replace_value", "insert_text", "truncate",
                                      "swap_lines"]),
                     st.integers(min_value=0, max_value=10_000),
                     st.one_of(st.sampled_from(VALUES), st.text(max_size=12)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TARGETS), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_files_never_raise(repo, target, mutations):
    path = repo / target
    original = path.read_text(encoding="utf-8")
    text = original
    for operation, position, value in mutations:
        text = mutate(text, operation, position, value)
    path.write_text(text, encoding="utf-8")
    try:
        result = check(repo, dt.date(2026, 11, 24))
    finally:
        path.write_text(original, encoding="utf-8")
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1, d
        assert not d.path.startswith("/"), d
