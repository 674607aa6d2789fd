"""Text from the repository, shown and never obeyed: in a terminal, and in a pull-request comment.

Account files, team.yml, criteria.yml, commit authors and subjects and CRM exports are written by
anyone who can open a pull request. A terminal acts on escape sequences (a clipboard write, a
rewritten line, a window title) and a comment renderer acts on Markdown, HTML and @mentions; what
an author wrote must reach either one as letters only.
"""

from __future__ import annotations

import re

# What a terminal acts on instead of showing: C0 controls (a tab aside), DEL, the C1 controls
# (U+009B alone starts a control sequence on many terminals), the line and paragraph separators,
# and the bidirectional controls that make what follows read backwards.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ACTIVE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every character a terminal would act on written as a visible escape (\\x1b, \\u202e)."""
    return _ACTIVE.sub(_shown, text)


COMMENT_TEXT_MAX = 500  # characters of one name or sentence: one field cannot fill the comment

# Every ASCII character that CommonMark, GitHub's extensions (tables, strikethrough, math) or HTML
# read as structure. A numeric reference is only ever a character to both Markdown and HTML, so the
# same text is inert in a table cell, a list item and the raw HTML of a <summary>.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'`*_[]\\|~$"})

# GitHub links mentions, issue references and bare URLs in the rendered text, after entities are
# decoded: a numeric reference alone (&#64;) comes back as '@' before it looks. A zero-width space
# where the pattern needs a name, a digit or "://" breaks each one in any context, Markdown or HTML,
# which code spans cannot (they do not exist inside <summary>). Dependabot and Renovate do the same.
_REFERENCE = re.compile(r"(?<=@)(?=[A-Za-z0-9])|(?<=#)(?=\d)|(?<=\bGH-)(?=\d)|(?<=[A-Za-z0-9])(?=://)"
                        r"|(?<=\bwww)(?=\.)", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def for_comment(value: object) -> str:
    """One line of plain text for a GitHub comment: no line breaks, no Markdown or HTML, no mention,
    issue reference or autolink, and at most COMMENT_TEXT_MAX characters."""
    text = " ".join(str(value).split())  # str.split() also breaks at \v, \f, \x1c-\x1f, U+0085, U+2028
    if len(text) > COMMENT_TEXT_MAX:
        text = text[:COMMENT_TEXT_MAX - 1] + "…"
    text = for_terminal(_REFERENCE.sub(_ZERO_WIDTH_SPACE, text)).translate(_MARKUP)  # before '&#' exists
    return text.replace(_ZERO_WIDTH_SPACE, "&#8203;")
