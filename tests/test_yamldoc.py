"""YAML with positions: values and keys located, duplicates and alias bombs caught."""

from __future__ import annotations

import datetime as dt
import time

import yaml
from hypothesis import given
from hypothesis import strategies as st

from account_playbooks.core.yamldoc import parse


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
    # Whether a file may be empty is the file format's call (the schema reports E003).
    doc, problems = parse("# only a comment\n", "f.yml", line_offset=1)
    assert problems == [] and doc.empty and doc.data is None and doc.position(("a",)) == (2, 1)


def test_a_tab_inside_a_block_scalar_is_text():
    doc, problems = parse("notes: |\n  first\n  \tindented with a tab\nname: x\n", "f.yml")
    assert problems == []
    assert doc.data == {"notes": "first\n\tindented with a tab\n", "name": "x"}


def test_tabs_the_parser_refuses_are_located_at_the_tab():
    assert codes(parse("a:\n  - x\n  \t- y\n", "f.yml")[1]) == [(3, 3, "E005")]
    assert codes(parse("a: |\n  x\n\ty\n", "f.yml", line_offset=1)[1]) == [(4, 1, "E005")]


def test_syntax_errors_say_which_lines_disagree():
    _, problems = parse("a:\n  b: 1\n   c: 2\n", "f.yml")
    assert codes(problems) == [(3, 5, "E001")]
    assert problems[0].message.endswith("line 3 is indented by 3 spaces and line 2 above it by 2, so YAML reads "
                                        "line 3 as more of line 2's value; indent the keys of one mapping alike")
    _, problems = parse("a:\n    b: 1\n  # a comment\n\n  c: 2\n", "f.yml", line_offset=1)
    assert problems[0].message.endswith("line 6 is indented by 2 spaces and line 3 above it by 4: "
                                        "the entries of one list or mapping must start in the same column")


def test_an_empty_list_among_entries_is_named():
    _, problems = parse("# people\n- id: x\n  name: y\n[]  # none yet\n", "f.yml")
    assert problems[0].message.endswith("line 4's `[]` does not belong among entries; delete it")


def test_merge_keys_are_refused_at_the_key():
    _, problems = parse("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n", "f.yml")
    assert codes(problems) == [(3, 3, "E015")]


def test_huge_numbers_do_not_crash():
    doc, problems = parse(f"a: 1{'0' * 300}\nb: 1{'0' * 5000}\nc: 0x{'f' * 5000}\n", "f.yml")
    assert problems == []
    assert doc.data["a"] == 10 ** 300
    assert doc.data["b"] == "1" + "0" * 5000  # past Python's int parsing limit: kept as text for the schema
    assert doc.data["c"].bit_length() == 20000


def test_scalars_are_the_values_pyyaml_would_build():
    text = ("null: ~\nyes: Yes\nint: 42\nzero: 0\noctal: 0755\nunderscored: 1_000\nsigned: -7\n"
            "sexagesimal: 12:30\nfloat: 2.5\ndate: 2026-11-25\nshort_date: 2026-1-5\nstamp: 2026-11-25 10:00:00\n"
            "wide_digits: \uff12\uff13\n")
    doc, problems = parse(text, "f.yml")
    assert problems == []
    assert doc.data == yaml.load(text, Loader=yaml.SafeLoader)


_SCALAR_TEXT = st.one_of(
    st.text(alphabet="0123456789-:._+eE xXoObB~yYnNtTfFlLuU", max_size=12),
    st.sampled_from(["~", "null", "Null", "NULL", "true", "False", "on", "OFF", "yes", "n", ".inf", "-.Inf", ".NaN",
                     "0x1f", "0o17", "0b101", "1_000", "190:20:30", "2026-11-25", "2026-11-25T10:00:00Z", "<<", "="]),
    st.builds(lambda unit, times: unit * times, st.sampled_from(["1", "a", "1_0", "1.5", "9:"]), st.integers(20, 60)),
)


@given(st.lists(_SCALAR_TEXT, min_size=1, max_size=6), st.booleans())
def test_repeated_and_quoted_scalars_resolve_as_pyyaml_resolves_them(values, quoted):
    """The loader remembers the tag of each plain scalar's text; a remembered tag must be the one
    PyYAML's resolvers give, whether the text comes first or again, quoted or plain."""
    items = [f"'{v}'" if quoted else v for v in values]
    text = "".join(f"- {item}\n" for item in items + items)
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, KeyError):
        return  # text PyYAML itself cannot build says nothing about resolution
    doc, problems = parse(text, "f.yml")
    if not problems:
        assert [type(v) for v in doc.data] == [type(v) for v in expected]
        assert [v for v in doc.data if v == v] == [v for v in expected if v == v]  # NaN is not equal to itself


def test_an_explicit_tag_on_a_value_it_cannot_build_keeps_the_text():
    doc, problems = parse("a: !!bool maybe\nb: !!int x\nc: !!timestamp 2026-02-30\n", "f.yml")
    assert problems == []
    assert doc.data == {"a": "maybe", "b": "x", "c": "2026-02-30"}


def test_plain_source_is_the_text_yaml_converted():
    doc, _ = parse("region: NO\nname: 0755\nquoted: 'NO'\ntext: Acme\nlist: [on]\n", "f.yml")
    assert doc.plain_source(("region",)) == "NO" and doc.data["region"] is False
    assert doc.plain_source(("name",)) == "0755" and doc.data["name"] == 493
    assert doc.plain_source(("list", 0)) == "on"
    assert doc.plain_source(("quoted",)) is None and doc.plain_source(("text",)) is None
    assert doc.plain_source(("missing",)) is None


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


def test_a_syntax_error_caused_by_curly_quotes_is_explained_at_the_quote():
    _, problems = parse("a: 1\ntitle: “Renewal: three years”\n", "f.yml")
    assert codes(problems) == [(2, 8, "E022")]
    assert problems[0].message.startswith("U+201C LEFT DOUBLE QUOTATION MARK is a typographic quote")
    assert problems[0].message.endswith('write straight quotes: "Renewal: three years"')
    _, problems = parse("- é: “x: y”\n", "f.yml", line_offset=1)  # columns count characters
    assert codes(problems) == [(2, 6, "E022")]
    _, problems = parse("note: it’s: here\n", "f.yml")  # an apostrophe inside a word opens nothing
    assert codes(problems) == [(1, 11, "E001")]


def test_locate_finds_a_character_inside_a_value():
    doc, _ = parse("a: 1\nb: \"é x\u200by\"\nc: |\n  one\n  t\u200bwo\n", "f.md", line_offset=1)
    assert doc.source_line(3) == "b: \"é x\u200by\""
    assert doc.locate(doc.position(("b",)), "\u200b") == (3, 8)
    assert doc.locate(doc.position(("c",)), "\u200b") == (6, 4)  # in a later line of a block scalar
    assert doc.locate(doc.position(("a",)), "?") == doc.position(("a",))  # not there: the value itself
