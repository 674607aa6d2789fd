"""YAML with positions: values and keys located, duplicates and alias bombs caught."""

from __future__ import annotations

import datetime as dt
import time

from generator.yamldoc import parse


def codes(problems):
    return [(p.line, p.column, p.code) for p in problems]


def test_positions_of_values_and_keys():
    doc, problems = parse("name: Acme\nscores:\n  fit: {score: 8, why: x}\nlist:\n  - a\n  - b\n", "f.yml")
    assert problems == []
    assert doc.position(("name",)) == (1, 7)
    assert doc.position(("name",), key=True) == (1, 1)
    assert doc.position(("scores", "fit", "score")) == (3, 16)
    assert doc.position(("list", 1)) == (6, 5)
    assert doc.position(("missing", "deeper")) == (1, 1)  # the mapping that lacks it
    assert doc.data["scores"]["fit"]["score"] == 8


def test_front_matter_offsets_lines():
    doc, _ = parse("date: 2026-09-30\ntype: qbr\n", "r.md", line_offset=1)
    assert doc.position(("type",)) == (3, 7)
    assert doc.data["date"] == dt.date(2026, 9, 30)


def test_duplicate_keys_are_reported_at_the_second():
    _, problems = parse("a: 1\nb: 2\na: 3\n", "f.yml")
    assert codes(problems) == [(3, 1, "E006")]
    assert "first defined at line 1" in problems[0].message


def test_syntax_error_position():
    doc, problems = parse("a: [1, 2\nb: 3\n", "f.yml")
    assert doc is None and problems[0].code == "E001" and problems[0].line >= 2


def test_tabs_and_empty_documents():
    assert codes(parse("a:\n\tb: 1\n", "f.yml")[1]) == [(2, 1, "E005")]
    assert codes(parse("# only a comment\n", "f.yml")[1]) == [(1, 1, "E003")]


def test_impossible_dates_stay_text_for_the_schema():
    doc, problems = parse("due: 2026-02-30\n", "f.yml")
    assert problems == [] and doc.data["due"] == "2026-02-30"


def test_unknown_tags_are_refused():
    _, problems = parse("a: !!python/object:os.system x\n", "f.yml")
    assert problems[0].code == "E001" and "unsupported YAML tag" in problems[0].message


def test_alias_bomb_stops_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    start = time.perf_counter()
    doc, problems = parse("\n".join(lines) + "\n", "f.yml")
    assert doc is None and problems[0].code == "E008"
    assert time.perf_counter() - start < 5  # a sanity bound, not a benchmark: unbounded would never end


def test_deep_nesting_is_a_located_error_not_a_crash():
    doc, problems = parse("a: " + "[" * 5000 + "]" * 5000 + "\n", "f.yml")
    assert doc is None
    assert [(d.code, d.line) for d in problems] == [("E001", 1)]
    assert "nesting depth" in problems[0].message
    shallow, problems = parse("a: " + "[" * 50 + "]" * 50 + "\n", "f.yml")
    nested = shallow.data["a"]
    for _ in range(49):
        (nested,) = nested
    assert problems == [] and nested == []
