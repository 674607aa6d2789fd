"""Merge-conflict markers and invisible characters, found before any parser reads a file."""

from __future__ import annotations

from account_playbooks.core.textscan import MAX_PER_FILE, char_name, conflicts, first_invisible, scan, visible


def markers(text):
    return [c.markers for c in conflicts(text)]


def test_a_conflict_block_is_one_finding_with_every_marker_line():
    text = "a: 1\n<<<<<<< HEAD\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> main\nc: 4\n"
    assert markers(text) == [(("<" * 7, 2), ("|" * 7, 4), ("=" * 7, 6), (">" * 7, 8))]
    assert conflicts(text)[0].complete


def test_half_resolved_blocks_are_found_and_lookalikes_are_not():
    assert markers("x\n=======\ny\n>>>>>>> main\n") == [((">" * 7, 4),)]  # '=======' alone is a heading underline
    assert markers("<<<<<<< HEAD\na\n=======\nb\n") == [(("<" * 7, 1), ("=" * 7, 3))]
    assert not conflicts("<<<<<<< HEAD\na\n>>>>>>> x\n")[0].complete  # no '=======' between the sides
    # a second opener ends the first, unfinished block
    assert markers("<<<<<<< a\n<<<<<<< b\n=======\n>>>>>>> c\n") == [
        (("<" * 7, 1),), (("<" * 7, 2), ("=" * 7, 3), (">" * 7, 4))]
    for text in ("Title\n=======\n", "========\n", "<<<<<<<< x\n", "    <<<<<<< indented\n", "a <<<<<<< b\n",
                 "|||||||\n", "<<<<<<<x\n"):
        assert conflicts(text) == [], text


def test_two_blocks_are_two_diagnostics_at_their_opening_lines():
    text = "<<<<<<< a\n1\n=======\n2\n>>>>>>> b\nok\n<<<<<<< a\n3\n=======\n4\n>>>>>>> b\n"
    found = scan("f.yml", text)
    assert [(d.line, d.column, d.code) for d in found] == [(1, 1, "E018"), (7, 1, "E018")]
    assert "'<<<<<<<' on line 7, '=======' on line 9 and '>>>>>>>' on line 11" in found[1].message


def test_characters_are_named_by_code_point_and_unicode_name():
    assert char_name("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert char_name("\x0b") == "U+000B LINE TABULATION"  # unicodedata has no name for a control
    assert char_name("\x1b") == "U+001B ESCAPE"
    assert char_name("\x90") == "U+0090 control character"
    assert visible("a\u200bb\u202ec") == "a<U+200B>b<U+202E>c"


def test_columns_count_characters_after_multibyte_and_astral_ones():
    found = scan("f.md", "line one\né 🚀 x\x0by\u202ez\n")
    assert [(d.line, d.column, d.code) for d in found] == [(2, 6, "E019"), (2, 8, "E019")]
    assert found[0].message.startswith("U+000B LINE TABULATION is a control character")
    assert "bidirectional" in found[1].message


def test_what_is_an_error_anywhere_and_what_is_not():
    forbidden = ["\x00", "\x07", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x85", "\x9b", "\u061c", "\u200e", "\u200f",
                 "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"]
    for char in forbidden:
        assert [d.code for d in scan("f.yml", f"a: b{char}c\n")] == ["E019"], char_name(char)
    # tab, emoji joiners, French spacing and non-Latin text are text; invisibles matter only in ids
    assert scan("f.md", "a\tb « c\u00a0» 👨\u200d👩 ห\u200bก م\u200cی\n") == []
    assert first_invisible("ab\u2060c") == (2, "\u2060") and first_invisible("abc") is None


def test_a_file_full_of_controls_lists_a_few():
    found = scan("f.yml", "x\x01" * 500)
    assert len(found) == MAX_PER_FILE
    assert found[-1].message.endswith("(490 more such characters after this one are not listed)")
