"""Playbook pages: macros only as validate/pagerules.py allows them, and raw HTML only where the
repository allows it.

The build renders every page through the same module, so what passes here is what publishes;
checking here gives a located diagnostic at pull-request time instead of a failed build.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.diagnostics import Diagnostic, diagnostic
from .context import RuleContext
from .declare import rule
from .pagerules import EMITS as PAGE_CODES

_ALLOW_HTML = "set `playbook_html: true` under the kam plugin in mkdocs.yml to allow raw HTML in the playbook"


@rule("E003", *PAGE_CODES)
def playbook_macros(ctx: RuleContext) -> Iterator[Diagnostic]:
    for page in ctx.loaded.playbook:
        if page.front is not None and page.front.empty:
            yield diagnostic(page.path, page.front.position(), "E003", "front matter is empty")
            continue
        meta = page.front.data if page.front is not None and isinstance(page.front.data, dict) else {}
        if meta.get("render_macros") is True:
            from .pagerules import check

            for finding in check(page.body, meta):
                yield diagnostic(page.path, (page.body_line + finding.line - 1, finding.column), finding.code,
                                 finding.message)


@rule("E217")
def playbook_html(ctx: RuleContext) -> Iterator[Diagnostic]:
    if ctx.loaded.playbook_html:
        return
    from .pagerules import raw_html

    for page in ctx.loaded.playbook:
        for line, column, shown in raw_html(page.body):
            yield diagnostic(page.path, (page.body_line + line - 1, column), "E217",
                             f"raw HTML in a playbook page ({shown}): this repository does not allow it, and the "
                             f"site shows it as text; write it in Markdown, or {_ALLOW_HTML}")


RULES = (playbook_macros, playbook_html)
