"""Reading account Markdown (named so as not to shadow the Python-Markdown package): `##` sections,
headings, code spans and fences, wiki-links and link destinations, shared by validation and rendering."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from .codes import emits
from .model import Section

EMITS = emits("E016", "E017")  # heavy_markup_at's; validate.links.heavy_markup reports them

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


def lines_with_fences(body: str) -> Iterator[tuple[int, str, bool]]:
    """Yield (index, line, inside_code) for every line; fence lines count as code.

    A fence closes only with a run of the same character at least as long as the one that
    opened it (CommonMark), so a ``` line inside a ```` block does not end it.
    """
    if not _has_fence(body):  # most plans and notes: no line can be code
        return ((index, line, False) for index, line in enumerate(body.split("\n")))
    return _fenced_lines(body)


def _fenced_lines(body: str) -> Iterator[tuple[int, str, bool]]:
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


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
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
                if offset == 0 and (definition := _DEFINITION.match(text)):
                    definitions.setdefault(_label(definition.group("label")), LinkDestination(
                        definition.group("url"), body_line + index, definition.start("url") + 1))
            offset += len(text)
    return inline + [d for label, d in definitions.items() if label in used]


# -- text the renderer would need quadratic time for ------------------------------------------
#
# Python-Markdown reads inline syntax one paragraph at a time, and some of it by scanning ahead:
# each `[` looks for its `]` to the end of the paragraph, each link destination `](` for its `)`,
# each backtick run for a run of the same length, and every inline match copies the paragraph.
# A paragraph of 30,000 `[` costs 30,000 scans of it: two minutes, hours at the 1 MB file limit.
# What a paragraph is here is a run of lines between blank lines (outside fences): Python-Markdown
# never reads inline text across a blank line, so no paragraph it reads is larger than this one.

MAX_BRACKET_DEPTH = 8
MAX_BACKTICK_LENGTHS = 16  # distinct backtick run lengths: each may scan once to the end
_SCAN_PER_CHARACTER = 16  # the scanning a paragraph may cost, in multiples of its length ...
_SCAN_FREE = 20_000  # ... plus this, so that a short paragraph is never refused
MAX_MARKUP_WEIGHT = 50_000_000  # markup characters times paragraph length (about 0.2 s to render)
_BRACKET_TOKENS = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_TITLE_END = re.compile(r"[\"'][ \t]*\)")
_QUOTE = re.compile(r"[\"']")
_MARKUP = re.compile(r"[\\`*_\[\]<>&!{}]")


@dataclass(frozen=True)
class HeavyMarkup:
    """A paragraph the renderer cannot read in time proportional to its length."""
    start: int  # index of the paragraph's first line in the body
    lines: list[str]
    offset: int  # where in the paragraph (its lines joined by newlines) the problem starts
    code: str
    message: str


def _paragraphs(body: str) -> Iterator[tuple[int, list[str]]]:
    """(index of first line, lines) of each run of non-blank lines outside fenced code."""
    start = 0
    lines: list[str] = []
    for index, line, in_code in lines_with_fences(body):
        if in_code or not line.strip():
            if lines:
                yield start, lines
            lines = []
            continue
        if not lines:
            start = index
        lines.append(line)
    if lines:
        yield start, lines


def _bracket_problem(text: str) -> tuple[int, str] | None:
    """Where scanning for the ends of brackets and link destinations costs more than a few
    passes over the paragraph: the first `[` never closed or nested too deep, or the first `](`
    never closed. Counted as Python-Markdown counts, escapes aside, inside code spans or not:
    which spans are code depends on where the renderer's paragraph starts, so none is trusted."""
    size, opened, parens = len(text), [], []
    cost, too_deep, destinations, closes = 0, None, [], {}
    for match in _BRACKET_TOKENS.finditer(text):
        char, at = match.group(), match.start()
        if char == "[":
            opened.append(at)
            if len(opened) > MAX_BRACKET_DEPTH and too_deep is None:
                too_deep = at
        elif char == "]" and opened:
            cost += at - opened.pop()
            if text.startswith("(", at + 1):
                destinations.append(at + 1)
        elif char == "(":
            parens.append(at)
        elif char == ")" and parens:
            closes[parens.pop()] = at
    cost += sum(size - at for at in opened)
    titles = [m.start() for m in _TITLE_END.finditer(text)] if destinations else []
    quotes = [m.start() for m in _QUOTE.finditer(text)] if destinations else []
    unclosed = None
    for at in destinations:
        end = closes.get(at, size)
        # A quote inside turns the renderer's scan into a search for the title's end: `")`.
        first_quote = bisect.bisect_left(quotes, at)
        if first_quote < len(quotes) and quotes[first_quote] < end:
            after = bisect.bisect_left(titles, quotes[first_quote] + 1)
            end = titles[after] if after < len(titles) else size
        if end == size and unclosed is None:
            unclosed = at - 1
        cost += end - at
    if cost <= _SCAN_PER_CHARACTER * size + _SCAN_FREE:
        return None
    if opened or too_deep is not None:
        first = min(at for at in opened[:1] + [too_deep] if at is not None)
        count = len(opened)
        what = (f"{count:,} '[' in this paragraph are never closed" if count
                else f"'[' nested more than {MAX_BRACKET_DEPTH} deep")
        return first, f"{what}, from here; escape a bracket meant as text as \\["
    return (unclosed if unclosed is not None else destinations[0] - 1,
            f"{len(destinations):,} link destinations '](' in this paragraph scan far for their ')', from here; "
            "close them, or escape a bracket meant as text as \\]")


def _backtick_problem(text: str) -> tuple[int, str] | None:
    runs = [(m.start(), len(m.group())) for m in _TICKS.finditer(text)]
    lengths = {length for _, length in runs}
    if len(lengths) <= MAX_BACKTICK_LENGTHS:
        return None
    first = next(at for at, length in runs if length > MAX_BACKTICK_LENGTHS)
    return first, (f"backtick runs of {len(lengths):,} different lengths in this paragraph, the first over "
                   f"{MAX_BACKTICK_LENGTHS} here; a code span needs one run to open it and one of the same length to close it")


# Bounds that make the scans above unnecessary. Each '[' costs at most one pass over its paragraph
# and so does each link destination, which needs a '[' of its own: with at most 8 '[' a paragraph
# costs at most 16 passes, and cannot nest deeper than 8. More than 16 distinct backtick run
# lengths need at least 1 + 2 + ... + 17 = 153 backticks.
_FEW_BRACKETS = MAX_BRACKET_DEPTH
_FEW_BACKTICKS = sum(range(1, MAX_BACKTICK_LENGTHS + 2))


def heavy_markup(body: str) -> list[HeavyMarkup]:
    """The paragraphs of `body` that Python-Markdown would take more than linear time to read,
    each with where its problem starts: what validation refuses and `defuse_markup` quarantines."""
    found: list[HeavyMarkup] = []
    if len(body) * len(_MARKUP.findall(body)) <= MAX_MARKUP_WEIGHT and body.count("[") <= _FEW_BRACKETS \
            and body.count("`") < _FEW_BACKTICKS:
        return found  # no paragraph of it can cost more than a few passes: most plans and notes
    for start, lines in _paragraphs(body):
        text = "\n".join(lines)
        problem = _bracket_problem(text) if text.count("[") > _FEW_BRACKETS else None
        problem = problem or (_backtick_problem(text) if text.count("`") >= _FEW_BACKTICKS else None)
        code = "E016"
        if problem is None:
            weight = len(_MARKUP.findall(text)) * len(text)
            if weight > MAX_MARKUP_WEIGHT:
                problem, code = (0, f"paragraph of {len(text):,} characters with {weight // len(text):,} markup "
                                    "characters, too many to render in time; split it with blank lines"), "E017"
        if problem is not None:
            found.append(HeavyMarkup(start, lines, problem[0], code, problem[1]))
    return found


def heavy_markup_at(body: str, body_line: int) -> list[tuple[int, int, str, str]]:
    """(line, column, code, message) of each paragraph `heavy_markup` finds, at where it starts."""
    located = []
    for heavy in heavy_markup(body):
        before = "\n".join(heavy.lines)[:heavy.offset]
        line = heavy.start + before.count("\n")
        located.append((body_line + line, heavy.offset - (before.rfind("\n") + 1) + 1, heavy.code, heavy.message))
    return located


def defuse_markup(body: str) -> str:
    """`body` with every paragraph that Python-Markdown would need more than linear time for
    turned into a fenced code block of its own lines, shown as written and never parsed.

    Linear in the length of `body`; a body that `kam validate` accepts comes back unchanged, so
    this only bounds what reaches the renderer some other way (a skipped check, `kam serve`)."""
    heavy = heavy_markup(body)
    if not heavy:
        return body
    lines = body.split("\n")
    out, at = [], 0
    for paragraph in heavy:
        out.extend(lines[at:paragraph.start])
        longest = max((len(m.group()) for line in paragraph.lines for m in _TICKS.finditer(line)), default=0)
        fence = "`" * max(3, longest + 1)
        out.extend(["", fence + "text", *paragraph.lines, fence, ""])
        at = paragraph.start + len(paragraph.lines)
    out.extend(lines[at:])
    return "\n".join(out)


# -- what Python-Markdown (with pymdownx.superfences) reads as code ---------------------------
#
# `lines_with_fences` and `split_code_spans` read a line at a time, as CommonMark would. Python-Markdown
# differs where it matters for a page published without raw HTML: a code span continues across the lines
# of its paragraph, so a backtick left open on one line changes which text of the next is code; its
# backtick scan has its own rules; and superfences only takes a fence it can parse and close. Text kept
# as written because it looked like code, where the renderer reads prose, is raw HTML or an attribute
# list on the page. `markdown_code` says where the renderer reads code; where it cannot be sure, it
# reads prose: that text is then shown escaped, never run.

_FENCE_LIKE = re.compile(r"[ \t>]*(?:`{3,}|~{3,})")  # what superfences tries as an opener
_FENCE_OPENER = re.compile(r"( *)(`{3,}|~{3,})[ \t]*(?:\.?[\w#.+-]+)?[ \t]*(?:\{[^}\n]*\}[ \t]*)?$")
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d+\.) +")  # Python-Markdown's, on a line with tabs expanded
_REFERENCE = re.compile(r" {0,3}\[[^\]]*\]:")
_RULE_LIKE = re.compile(r"[-=*_ ]*[-=*_][-=*_ ]*$")  # a rule, a setext underline (a table's separator: _table_like)
# Starts of lines that begin or split a block in Python-Markdown or a common extension (tabbed, definition
# lists, footnotes, abbreviations); a macro's placeholder, whose HTML may be a block of its own.
_BLOCK_MARK = ("#", ">", "<", "!!!", "???", "===", ":", "[^", "*[", "```", "~~~", "\ue000")


@dataclass(frozen=True)
class LineCode:
    """One line of a body: inside a fenced block, or the (start, end) of each code span on it."""
    fenced: bool
    spans: tuple[tuple[int, int], ...] = ()


def markdown_code(body: str) -> list[LineCode]:
    """For each line of `body` (split on newlines), what Python-Markdown renders as code: a whole
    fenced block, or code spans, which may continue from one line of a paragraph to the next. A
    span is reported only where the renderer certainly reads one; every other character is prose."""
    lines = body.split("\n")
    fenced = _superfenced(lines)
    for group in list(_groups(lines, fenced)):
        first = lines[group[0]].expandtabs(4)
        if len(first) - len(first.lstrip(" ")) >= 4:  # indented code: superfences puts a fence in it back as text
            for index in group:
                fenced[index] = False
    found: list[LineCode] = [LineCode(True) if inside else LineCode(False) for inside in fenced]
    for group in _groups(lines, fenced):
        for index, spans in _group_spans(lines, fenced, group).items():
            found[index] = LineCode(False, tuple(spans))
    return found


def _superfenced(lines: list[str]) -> list[bool]:
    """Which lines superfences takes as a fenced block, never more: an opener indented by spaces with a
    plain language or attributes, every line up to the closer indented as far (or blank), and the same
    fence closing it at that indent. A fence abandoned or never closed is prose, and so is everything after
    an opener this does not model (options, a quote), as superfences' reading of what follows is unknown."""
    inside = [False] * len(lines)
    at = 0
    while at < len(lines):
        if not _FENCE_LIKE.match(lines[at]):
            at += 1
            continue
        opener = _FENCE_OPENER.match(lines[at])
        if opener is None:
            break
        indent, fence = opener.group(1), opener.group(2)
        end, closed = at + 1, False
        while end < len(lines) and not closed:
            line = lines[end]
            if line.strip() and not line.startswith(indent):
                break  # not indented as far: superfences abandons the fence, and goes on after this line
            rest = line[len(indent):]
            closed = rest.startswith(fence) and not rest[len(fence):].strip(" \t")
            end += 1
        if closed:
            inside[at:end] = [True] * (end - at)
        elif end == len(lines):
            break  # never closed: superfences reads no fence from here on
        at = end + 1 if not closed else end
    return inside


def _groups(lines: list[str], fenced: list[bool]) -> Iterator[list[int]]:
    """The lines of each run between blank lines, fences included: no span crosses a blank line, but
    one crosses a fence (superfences leaves a placeholder in the paragraph)."""
    group: list[int] = []
    for index, line in enumerate(lines):
        # Markdown empties a line of spaces after a line end: the first line only if it is empty.
        if not fenced[index] and not (line.strip(" \t") if index else line):
            if group:
                yield group
            group = []
        else:
            group.append(index)
    if group:
        yield group


def _starts_block(text: str) -> bool:
    """Whether a line may start or split a block: anything but plain paragraph text (tabs expanded)."""
    stripped = text.lstrip(" ")
    return (len(text) - len(stripped) > 3 or not stripped or stripped.startswith(_BLOCK_MARK)
            or "\ue000" in text or bool(_REFERENCE.match(text)) or bool(_RULE_LIKE.match(stripped)))


def _table_like(lines: list[str], group: list[int]) -> bool:
    """Whether the tables extension may read the group as a table: a separator row under a row with a `|`."""
    return len(group) > 1 and "|" in lines[group[0]] and "|" in lines[group[1]] \
        and set(lines[group[1]].strip()) <= set("|:- \t")


def _units(lines: list[str], group: list[int], table: bool) -> list[list[int]] | None:
    """The group as the inline texts Python-Markdown reads, each a list of line indexes: one paragraph,
    or one per list item (its first line and lazy continuation lines). None when not certain. With
    `table`, the paragraph it is if the tables extension does not take it (its rows and separator text)."""
    texts = [lines[i].expandtabs(4) for i in group]
    item = _LIST_ITEM.match(texts[0])
    units: list[list[int]] = []
    for number, (index, text) in enumerate(zip(group, texts, strict=True)):
        marker = _LIST_ITEM.match(text)
        if number == 0 and not text.strip(" ") and len(text) < 4:  # spaces on the body's first line: the paragraph's
            units.append([index])
            continue
        if table and (number == 1 or text.lstrip(" ").startswith("|")):
            text = " " * (len(text) - len(text.lstrip(" "))) + "x"  # a row: text to the paragraph
        if units and not (item and marker):  # a continuation line of the paragraph or of the item
            if _starts_block(text):
                return None
            units[-1].append(index)
            continue
        content = text[marker.end():] if marker else text
        if not content or _starts_block(content) or _LIST_ITEM.match(content):
            return None
        units.append([index])
    return units


def _group_spans(lines: list[str], fenced: list[bool], group: list[int]) -> dict[int, list[tuple[int, int]]]:
    prose = [i for i in group if not fenced[i]]
    if not any("`" in lines[i] for i in prose):
        return {}
    table = len(prose) == len(group) and _table_like(lines, group)
    units = _units(lines, group, table) if len(prose) == len(group) else None
    found: dict[int, list[tuple[int, int]]] = {}
    if units is not None:
        for unit in units:
            found.update(_unit_spans(lines, unit))
    else:
        # Not certain where the renderer's inline texts start: a line keeps its spans only if no backtick
        # before it in the group could have opened one that runs into it.
        seen = False
        for index in prose:
            if not seen:
                found[index] = _line_spans(lines[index])
            seen = seen or "`" in lines[index]
    if table:  # and if the tables extension takes it, each row on its own: a span must be one both ways
        found = {index: [span for span in spans if "\\|" not in lines[index] and span in _line_spans(lines[index])]
                 for index, spans in found.items()}
    return found


def _unit_spans(lines: list[str], unit: list[int]) -> dict[int, list[tuple[int, int]]]:
    """Each line's part of the spans of one inline text (its lines joined by newlines)."""
    text = "\n".join(lines[i] for i in unit)
    starts = [0]
    for i in unit[:-1]:
        starts.append(starts[-1] + len(lines[i]) + 1)
    found: dict[int, list[tuple[int, int]]] = {i: [] for i in unit}
    for begin, end in code_spans(text):
        for index, start in zip(unit, starts, strict=True):
            low, high = max(begin, start), min(end, start + len(lines[index]))
            if low < high:
                found[index].append((low - start, high - start))
    return found


def _line_spans(line: str) -> list[tuple[int, int]]:
    """The spans of a line read on its own, when its inline text may go on after it: only up to the first
    that pairs backtick runs of different lengths (a longer run further on would undo it). If it has a
    `|`, only those that every cell between two pipes agrees with (a table row is split into cells first)."""
    spans = code_spans(line, exact=True)
    if "|" not in line:
        return spans
    cells: set[tuple[int, int]] = set()
    at = 0
    for cell in line.split("|"):
        cells.update((at + begin, at + end) for begin, end in code_spans(cell))
        at += len(cell) + 1
    return [span for span in spans if span in cells]


def code_spans(text: str, *, exact: bool = False) -> list[tuple[int, int]]:
    """The (start, end) of each code span, backticks included, that Python-Markdown finds in one inline
    text: its own backtick pattern and scan, in the order its inline processor applies them. With `exact`,
    those before the first span whose closing run is shorter than its opening one."""
    from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

    scan = BacktickInlineProcessor(BACKTICK_RE)
    pattern = scan.getCompiledRegExp()
    spans: list[tuple[int, int]] = []
    at = 0
    while (match := pattern.search(text, at)) is not None:
        # Escaped backslashes are stashed first, so the backtick after them opens a span.
        begin = match.end() if match.group(1) else match.start()
        # (start, None) where no run closes it, whatever the type stubs say
        start, end = cast("tuple[int, int | None]", scan.find_code_spans(begin, text))
        if end is None:
            at = start
            continue
        opening = _TICKS.match(text, begin)
        if exact and opening is not None and start - begin != len(opening.group()):
            break
        close = end + (start - begin)
        spans.append((begin, close))
        at = close
    return spans
