"""Playbook pages that opt in to macros: valid Jinja, only names that exist, and macros called
with the arguments they take.

mkdocs-macros would otherwise print a traceback into the build log and the error text into
the published page; checking here gives a located diagnostic and keeps the build from starting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, diagnostic
from ..macros import MACROS, PROVIDED_BY_MKDOCS_MACROS, page_signature
from .context import RuleContext
from .schema import suggest

if TYPE_CHECKING:
    from jinja2 import nodes

_JINJA_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def playbook_macros(ctx: RuleContext) -> Iterator[Diagnostic]:
    environment = None
    for page in ctx.loaded.playbook:
        if page.front is not None and page.front.empty:
            yield diagnostic(page.path, page.front.position(), "E003", "front matter is empty")
            continue
        meta = page.front.data if page.front is not None and isinstance(page.front.data, dict) else {}
        if meta.get("render_macros") is not True:
            continue
        if environment is None:  # Jinja is imported for the first page with macros, not by every `kam validate`
            import jinja2
            import jinja2.meta

            environment = jinja2.Environment()
        try:
            tree = environment.parse(page.body)
        except jinja2.TemplateSyntaxError as exc:
            yield diagnostic(page.path, (page.body_line + exc.lineno - 1, 1), "E014", f"Jinja syntax error: {exc.message}")
            continue
        known = set(MACROS) | set(PROVIDED_BY_MKDOCS_MACROS) | set(meta)
        for name in sorted(jinja2.meta.find_undeclared_variables(tree) - known):
            yield diagnostic(page.path, _first_use(page.body, page.body_line, name), "E210",
                             f"unknown macro or variable '{name}'{suggest(name, MACROS)}")
        yield from _macro_arguments(page, tree)


def _macro_arguments(page, tree: nodes.Template) -> Iterator[Diagnostic]:
    """Each literal call of one of our macros binds to its signature: a missing or extra
    argument is found here, at its line, not as a traceback in the build."""
    from jinja2 import nodes

    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in MACROS or call.dyn_args or call.dyn_kwargs:
            continue
        signature = page_signature(call.node.name)
        try:
            signature.bind(*call.args, **{keyword.key: keyword.value for keyword in call.kwargs})
        except TypeError as exc:
            line = page.body_line + call.lineno - 1
            column = _column_of(page.body, call.lineno, call.node.name)
            yield diagnostic(page.path, (line, column), "E212",
                             f"{call.node.name}{_shown(signature)}: {exc}")


def _shown(signature) -> str:
    return "(" + ", ".join(signature.parameters) + ")"


def _column_of(body: str, lineno: int, name: str) -> int:
    lines = body.split("\n")
    text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    found = re.search(rf"\b{re.escape(name)}\s*\(", text)
    return found.start() + 1 if found else 1


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
