"""Text as it arrives from editors, merges and pastes: merge-conflict markers left in a file, and
characters that cannot be seen. The loader runs `scan` on every file before any parser reads it,
so that the one message names the cause, at its place, instead of whatever the parser makes of it.

Columns count characters (code points) from 1, as the parsers' positions do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .codes import emits
from .diagnostics import Diagnostic, diagnostic

EMITS = emits("E018", "E019")

# git writes each marker at the start of a line, seven characters long, then a space and a label
# (or nothing): `<<<<<<< HEAD`, `||||||| base` (diff3), `=======`, `>>>>>>> branch`. An eighth
# character makes it something else, such as a Markdown heading underline.
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?=[ \t]|$)", re.M)
OPEN, BASE, SPLIT, CLOSE = "<" * 7, "|" * 7, "=" * 7, ">" * 7

# Errors anywhere: C0 and C1 controls but tab and line feed (a lone carriage return or a NEL is a
# line break to YAML and not to us, so every position after it would be off), the Unicode
# Bidi_Control characters (they make stored text display in another order), and the Unicode line
# and paragraph separators (line breaks to YAML again).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"
FORBIDDEN = re.compile(f"[{_CONTROL}{_BIDI}{_SEPARATORS}]")
# Zero-width characters and no-break spaces: fine in prose (French spacing, emoji and scripts that
# join letters need them), but a value of a fixed form that holds one looks right and is not.
INVISIBLE = re.compile("[\u00a0\u00ad\u180e\u200b-\u200d\u2060-\u2064\u202f\ufeff]")

# Enough to find them all with a search-and-replace; a file of thousands would drown the rest.
MAX_PER_FILE = 10

# unicodedata has no names for control characters; these are their ISO 6429 names (Unicode's aliases).
_CONTROL_NAMES = {
    0x00: "NULL", 0x01: "START OF HEADING", 0x02: "START OF TEXT", 0x03: "END OF TEXT", 0x04: "END OF TRANSMISSION",
    0x05: "ENQUIRY", 0x06: "ACKNOWLEDGE", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x0E: "SHIFT OUT",
    0x0F: "SHIFT IN", 0x10: "DATA LINK ESCAPE", 0x11: "DEVICE CONTROL ONE", 0x12: "DEVICE CONTROL TWO",
    0x13: "DEVICE CONTROL THREE", 0x14: "DEVICE CONTROL FOUR", 0x15: "NEGATIVE ACKNOWLEDGE",
    0x16: "SYNCHRONOUS IDLE", 0x17: "END OF TRANSMISSION BLOCK", 0x18: "CANCEL", 0x19: "END OF MEDIUM",
    0x1A: "SUBSTITUTE", 0x1B: "ESCAPE", 0x1C: "INFORMATION SEPARATOR FOUR", 0x1D: "INFORMATION SEPARATOR THREE",
    0x1E: "INFORMATION SEPARATOR TWO", 0x1F: "INFORMATION SEPARATOR ONE", 0x7F: "DELETE", 0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def char_name(char: str) -> str:
    """'U+200B ZERO WIDTH SPACE': the code point and the Unicode name, which people can search for."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code) or "control character"
    return f"U+{code:04X} {name}"


def visible(text: str) -> str:
    """The text with every invisible or control character shown as <U+XXXX>, for messages."""
    return INVISIBLE.sub(_shown, FORBIDDEN.sub(_shown, text))


def _shown(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


@dataclass(frozen=True)
class Conflict:
    markers: tuple[tuple[str, int], ...]  # (marker, line) in file order

    @property
    def complete(self) -> bool:
        kinds = [marker for marker, _ in self.markers]
        return kinds[0] == OPEN and kinds[-1] == CLOSE and SPLIT in kinds


def conflicts(text: str) -> list[Conflict]:
    """The merge conflicts git left: each block from its `<<<<<<<` to its `>>>>>>>`, and any
    marker of a half-resolved one. A `=======` or `|||||||` outside a block is not a marker."""
    if OPEN not in text and CLOSE not in text:
        return []  # a substring search is six times faster than the line-anchored pattern
    found: list[Conflict] = []
    block: list[tuple[str, int]] = []
    line, counted = 1, 0
    for match in _MARKER.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        marker = match.group(1)
        kinds = [kind for kind, _ in block]
        if marker == OPEN:
            if block:
                found.append(Conflict(tuple(block)))
            block = [(marker, line)]
        elif marker == CLOSE:
            found.append(Conflict((*block, (marker, line))))
            block = []
        elif block and SPLIT not in kinds and (marker == SPLIT or BASE not in kinds):
            block.append((marker, line))
    if block:
        found.append(Conflict(tuple(block)))
    return found


def conflict_message(conflict: Conflict) -> str:
    places = [f"'{marker}' on line {line}" for marker, line in conflict.markers]
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
    if conflict.complete:
        return (f"merge conflict left in the file (markers {listed}): keep the lines that should stay "
                "from both sides and delete the marker lines")
    return (f"merge conflict marker left in the file ({listed}, the rest of its block is missing): "
            "finish resolving the conflict and delete the marker lines")


def character_message(char: str) -> str:
    name = char_name(char)
    if char == "\r":
        return f"{name} without a line feed after it (an old Mac line ending); save the file with LF or CRLF line endings"
    if char in "\u2028\u2029\x85":
        return f"{name} is a line break that YAML and Markdown read differently; replace it with a plain line break"
    if unicodedata.category(char) == "Cc":
        return f"{name} is a control character, not text (pasted from another program?); delete it"
    return (f"{name} is an invisible bidirectional control: it makes the text display in another order "
            "than it is stored; delete it")


def scan(path: str, text: str) -> list[Diagnostic]:
    """Conflicts and forbidden characters in a file's text; empty for almost every file, found
    with one regular-expression search each."""
    problems = [diagnostic(path, (c.markers[0][1], 1), "E018", conflict_message(c)) for c in conflicts(text)]
    return problems + _characters(path, text)


def _characters(path: str, text: str) -> list[Diagnostic]:
    if FORBIDDEN.search(text) is None:
        return []
    found = []
    line, line_start, counted = 1, 0, 0
    matches = list(FORBIDDEN.finditer(text))
    for match in matches[:MAX_PER_FILE]:
        newlines = text.count("\n", counted, match.start())
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, match.start()) + 1
        counted = match.start()
        found.append(diagnostic(path, (line, match.start() - line_start + 1), "E019", character_message(match.group())))
    if len(matches) > MAX_PER_FILE:
        last = found[-1]
        found[-1] = diagnostic(path, (last.line, last.column), "E019",
                               f"{last.message} ({len(matches) - MAX_PER_FILE:,} more such characters "
                               "after this one are not listed)")
    return found


def first_invisible(text: str) -> tuple[int, str] | None:
    """(index, character) of the first zero-width character or no-break space in `text`."""
    match = INVISIBLE.search(text)
    return (match.start(), match.group()) if match else None
