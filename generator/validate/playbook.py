"""Playbook pages that opt in to macros: valid Jinja, and only names that exist.

mkdocs-macros would otherwise print a traceback into the build log and the error text into
the published page; checking here gives a located diagnostic and keeps the build from starting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import jinja2
import jinja2.meta

from ..diagnostics import Diagnostic, diagnostic
from ..macros import MACROS, PROVIDED_BY_MKDOCS_MACROS
from .context import RuleContext
from .schema import suggest

_ENV = jinja2.Environment()
_JINJA_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def playbook_macros(ctx: RuleContext) -> Iterator[Diagnostic]:
    for page in ctx.loaded.playbook:
        if page.front is not None and page.front.empty:
            yield diagnostic(page.path, page.front.position(), "E003", "front matter is empty")
            continue
        meta = page.front.data if page.front is not None and isinstance(page.front.data, dict) else {}
        if meta.get("render_macros") is not True:
            continue
        try:
            tree = _ENV.parse(page.body)
        except jinja2.TemplateSyntaxError as exc:
            yield diagnostic(page.path, (page.body_line + exc.lineno - 1, 1), "E014", f"Jinja syntax error: {exc.message}")
            continue
        known = set(MACROS) | set(PROVIDED_BY_MKDOCS_MACROS) | set(meta)
        for name in sorted(jinja2.meta.find_undeclared_variables(tree) - known):
            yield diagnostic(page.path, _first_use(page.body, page.body_line, name), "E210",
                        f"unknown macro or variable '{name}'{suggest(name, MACROS)}")


def _first_use(body: str, body_line: int, name: str) -> tuple[int, int]:
    word = re.compile(rf"\b{re.escape(name)}\b")
    for span in _JINJA_SPAN.finditer(body):
        found = word.search(span.group())
        if found:
            offset = span.start() + found.start()
            line_start = body.rfind("\n", 0, offset) + 1
            return body_line + body.count("\n", 0, offset), offset - line_start + 1
    return body_line, 1


RULES = (playbook_macros,)
