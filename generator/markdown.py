"""Markdown helpers shared by validation and rendering: `##` sections, anchors, wiki-links."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Section

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
WIKILINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")


def slugify(text: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading, so our links match it."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _prose_lines(body: str):
    """Yield (index, line) for lines outside fenced code blocks."""
    fence = None
    for index, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield index, line


def split_sections(body: str, body_line: int) -> tuple[str, tuple[Section, ...]]:
    """The H1 title and the `##` sections of a plan, each with the line its heading is on."""
    lines = body.split("\n")
    title = ""
    starts: list[tuple[int, str]] = []
    for index, line in _prose_lines(body):
        match = _HEADING.match(line)
        if not match:
            continue
        level = len(match.group(1))
        if level == 1 and not title and not starts:
            title = match.group(2)
        elif level == 2:
            starts.append((index, match.group(2)))
    sections = []
    for n, (index, heading) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        content = "\n".join(lines[index + 1:end]).strip()
        sections.append(Section(heading, slugify(heading), body_line + index, content))
    return title, tuple(sections)


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

    @property
    def person(self) -> str | None:
        return self.target[1:] if self.target.startswith("@") else None

    @property
    def account_and_anchor(self) -> tuple[str, str | None]:
        account, _, anchor = self.target.partition("#")
        return account, anchor or None


def find_wikilinks(body: str, body_line: int) -> list[WikiLink]:
    found = []
    for index, line in _prose_lines(body):
        if "[[" not in line:
            continue
        for match in WIKILINK.finditer(line):
            if _inside_code_span(line, match.start()):
                continue
            found.append(WikiLink(match.group(1).strip(), body_line + index, match.start() + 1))
    return found


def _inside_code_span(line: str, offset: int) -> bool:
    return line.count("`", 0, offset) % 2 == 1
