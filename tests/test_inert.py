"""Repository text shown, never obeyed: visible escapes for a terminal, inert text for a PR comment."""

from __future__ import annotations

import pytest

from account_playbooks.core.inert import COMMENT_TEXT_MAX, for_comment, for_terminal

# What a terminal would act on: a clipboard write (OSC 52), a rewritten line, a window title, CSI by
# its C1 form, a backspace, and the bidirectional overrides that make a name read backwards.
TERMINAL_PAYLOADS = {
    "\x1b]52;c;aGk=\x07": "\\x1b]52;c;aGk=\\x07",
    "\x1b[2K\rfake line": "\\x1b[2K\\x0dfake line",
    "\x1b]0;pwned\x1b\\": "\\x1b]0;pwned\\x1b\\",
    "\x9b31mred": "\\x9b31mred",
    "a\bb\x00\x7f": "a\\x08b\\x00\\x7f",
    "\u202eevil\u202c \u2066x\u2069 \u200f": "\\u202eevil\\u202c \\u2066x\\u2069 \\u200f",
    "two\nlines\u2028": "two\\x0alines\\u2028",
}


@pytest.mark.parametrize("text, shown", TERMINAL_PAYLOADS.items())
def test_what_a_terminal_acts_on_is_shown_as_an_escape(text, shown):
    assert for_terminal(text) == shown


def test_ordinary_text_reaches_the_terminal_unchanged():
    text = "Zoë Ångström\tGmbH — 北京公司 👨‍👩‍👧 [closed] \\x1b"
    assert for_terminal(text) == text


def test_comment_text_is_one_line_with_markup_as_references():
    assert for_comment("Acme\n\n# Done\r\n<b>|`*_[x](y)~$\\") == \
        "Acme # Done &#60;b&#62;&#124;&#96;&#42;&#95;&#91;x&#93;(y)&#126;&#36;&#92;"


@pytest.mark.parametrize("text, inert", [
    ("@org/team", "@&#8203;org/team"),
    ("ping @someone.", "ping @&#8203;someone."),
    ("see #123 and GH-4", "see #&#8203;123 and GH-&#8203;4"),
    ("https://evil.example/x", "https&#8203;://evil.example/x"),
    ("www.evil.example", "www&#8203;.evil.example"),
    ("a@b.example", "a@&#8203;b.example"),
    ("100% #1-rated, @ noon", "100% #&#8203;1-rated, @ noon"),
])
def test_mentions_references_and_autolinks_get_a_zero_width_space(text, inert):
    assert for_comment(text) == inert


def test_entities_written_by_the_author_are_shown_as_written():
    assert for_comment("&#64;user &amp;") == "&#38;#&#8203;64;user &#38;amp;"  # reads "&#64;user &amp;"


def test_comment_text_is_capped_and_controls_are_visible():
    assert for_comment("x" * 10_000) == "x" * (COMMENT_TEXT_MAX - 1) + "…"
    assert for_comment("a\x1b]52;c;x\x07") == "a&#92;x1b&#93;52;c;x&#92;x07"
