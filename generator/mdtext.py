"""Reading account Markdown (named so as not to shadow the Python-Markdown package): `##` sections,
headings, code spans and fences, wiki-links and link destinations, shared by validation and rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Section

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
WIKILINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
# Where a link or image destination starts: after `](` in an inline link, or after `]:` in a
# reference definition at the start of a line. The optional `<` is the CommonMark form.
_INLINE_DESTINATION = re.compile(r"\]\(\s*<?\s*(?P<url>[^\s)>]+)")
_REFERENCE_DESTINATION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?\s*(?P<url>[^\s>]+)")


def demote_headings(body: str, levels: int = 1) -> str:
    """ATX headings outside code moved `levels` deeper (at most h6): a body shown under a
    heading of the page's own keeps its outline below it."""
    out = []
    for _, line, in_code in lines_with_fences(body):
        if not in_code and _HEADING.match(line):
            hashes = len(line) - len(line.lstrip("#"))
            line = "#" * min(hashes + levels, 6) + line[hashes:]
        out.append(line)
    return "\n".join(out)


def _has_fence(body: str) -> bool:
    return "```" in body or "~~~" in body


def lines_with_fences(body: str):
    """Yield (index, line, inside_code) for every line; fence lines count as code.

    A fence closes only with a run of the same character at least as long as the one that
    opened it (CommonMark), so a ``` line inside a ```` block does not end it.
    """
    if not _has_fence(body):  # most plans and notes: no line can be code
        return ((index, line, False) for index, line in enumerate(body.split("\n")))
    return _fenced_lines(body)


def _fenced_lines(body: str):
    fence: tuple[str, int] | None = None
    for index, line in enumerate(body.split("\n")):
        if fence is None:
            match = _FENCE.match(line)
            if match:
                fence = (match.group(1)[0], len(match.group(1)))
            yield index, line, fence is not None
            continue
        stripped = line.strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
            fence = None
        yield index, line, True


def _prose_lines(body: str):
    """(index, line) for lines outside fenced code blocks."""
    if not _has_fence(body):
        return enumerate(body.split("\n"))
    return ((index, line) for index, line, in_code in _fenced_lines(body) if not in_code)


def split_code_spans(line: str) -> list[tuple[str, bool]]:
    """The line as (text, is_code) pieces; a span opened by N backticks closes at the next
    run of exactly N (CommonMark), so ``[[x]]`` stays code."""
    pieces, start, runs, i = [], 0, list(_TICKS.finditer(line)), 0
    while i < len(runs):
        opener = runs[i]
        closer = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(opener.group())), None)
        if closer is None:
            i += 1
            continue
        pieces.append((line[start:opener.start()], False))
        pieces.append((line[opener.start():runs[closer].end()], True))
        start = runs[closer].end()
        i = closer + 1
    pieces.append((line[start:], False))
    return [(text, code) for text, code in pieces if text]


def split_sections(body: str, body_line: int) -> tuple[Section, ...]:
    """The `##` sections of a plan, each with the line its heading is on."""
    lines = body.split("\n")
    starts: list[tuple[int, str]] = []
    for index, line in _prose_lines(body):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            starts.append((index, match.group(2)))
    sections = []
    for n, (index, heading) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.append(Section(heading, body_line + index, "\n".join(lines[index + 1:end]).strip()))
    return tuple(sections)


@dataclass(frozen=True)
class HeadingLine:
    """A line that is, or was probably meant as, an ATX heading: '### Goals', '##Goals'."""
    line: int
    text: str  # the line as written
    level: int
    title: str
    spaced: bool  # '#'s followed by a space, as a heading needs
    indented: bool


_HEADING_LIKE = re.compile(r"^( *)(#{1,6})([ \t]*)(.*?)(?:[ \t]+#+)?[ \t]*$")


def heading_lines(body: str, body_line: int) -> list[HeadingLine]:
    """Every heading-like line outside code, so that a near miss of a section can be named."""
    found = []
    for index, line in _prose_lines(body):
        match = _HEADING_LIKE.match(line)
        if match and match.group(4) and not match.group(4).startswith("#"):
            found.append(HeadingLine(body_line + index, line.strip(), len(match.group(2)), match.group(4),
                                     bool(match.group(3)), bool(match.group(1))))
    return found


def first_heading(body: str) -> str:
    for _, line in _prose_lines(body):
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return match.group(2)
    return ""


@dataclass(frozen=True)
class WikiLink:
    target: str  # as written between the brackets
    line: int
    column: int


def find_wikilinks(body: str, body_line: int) -> list[WikiLink]:
    found = []
    for index, line in _prose_lines(body):
        if "[[" not in line:
            continue
        offset = 0
        for text, is_code in split_code_spans(line):
            if not is_code:
                for match in WIKILINK.finditer(text):
                    found.append(WikiLink(match.group(1).strip(), body_line + index, offset + match.start() + 1))
            offset += len(text)
    return found


@dataclass(frozen=True)
class LinkDestination:
    url: str  # as written, up to the first space or closing bracket
    line: int
    column: int


def find_link_destinations(body: str, body_line: int) -> list[LinkDestination]:
    """The destination of every Markdown link, image and reference definition outside code."""
    found = []
    for index, line in _prose_lines(body):
        if "](" not in line and "]:" not in line:
            continue
        offset = 0
        for text, is_code in split_code_spans(line):
            if not is_code:
                patterns = [_INLINE_DESTINATION] + ([_REFERENCE_DESTINATION] if offset == 0 else [])
                for pattern in patterns:
                    for match in pattern.finditer(text):
                        found.append(LinkDestination(match.group("url"), body_line + index,
                                                     offset + match.start("url") + 1))
            offset += len(text)
    return found


_INLINE_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?\s*(?P<url>[^\s)>]+)")
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?!\()(?:\[(?P<label>[^\]\n]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*<?\s*(?P<url>[^\s>]+)")


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_image_sources(body: str, body_line: int) -> list[LinkDestination]:
    """Where every image in the body loads from: the destination of `![alt](url)`, and for
    `![alt][ref]` or `![ref]` the destination of its reference definition (located there)."""
    inline: list[LinkDestination] = []
    used: set[str] = set()
    definitions: dict[str, LinkDestination] = {}
    for index, line in _prose_lines(body):
        if "](" not in line and "![" not in line and "]:" not in line:
            continue
        offset = 0
        for text, is_code in split_code_spans(line):
            if not is_code:
                for match in _INLINE_IMAGE.finditer(text):
                    inline.append(LinkDestination(match.group("url"), body_line + index, offset + match.start("url") + 1))
                for match in _REFERENCE_IMAGE.finditer(text):
                    used.add(_label(match.group("label") or match.group("alt")))
                if offset == 0 and (match := _DEFINITION.match(text)):
                    definitions.setdefault(_label(match.group("label")), LinkDestination(
                        match.group("url"), body_line + index, match.start("url") + 1))
            offset += len(text)
    return inline + [d for label, d in definitions.items() if label in used]
