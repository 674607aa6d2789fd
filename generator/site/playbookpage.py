"""An authored playbook page made safe to publish, whichever engine builds the site.

What a page may contain is decided in validate/pagerules.py (what `kam validate` checks); here
the page is published by those rules:

- Jinja, in pages that opt in with `render_macros: true`: checked again, then rendered in Jinja's
  immutable sandbox with only our macros (site/macros.py) as globals, so that a construct the
  check missed is still refused.
- Raw HTML and ids: the repository's choice (`playbook_html` under the kam plugin in mkdocs.yml),
  off unless set: then `neutralise` shows HTML and attribute lists as text.

The kam plugin and `kam render --out` both publish a page through `publishable`, so the rules do
not depend on a build hook: the exported tree has no Jinja and no raw HTML left in it.
"""

from __future__ import annotations

import re
import secrets
import traceback
from collections.abc import Iterator, Mapping
from html import unescape
from typing import TYPE_CHECKING, Any

from ..core.codes import emits
from ..core.errors import KamError
from ..core.mdtext import LineCode, markdown_code
from ..validate.pagerules import AUTOLINK, NOT_AVAILABLE, OUTPUT_LIMIT, check, sandbox
from ..validate.pagerules import EMITS as PAGE_CODES
from .macros import MACROS

if TYPE_CHECKING:

    from .render import SiteInput

# A page that passed `kam validate` and still failed to render; a page the build re-checks reports
# what validation would have.
EMITS = emits("E218", *PAGE_CODES)


class MacroFailure(KamError):
    """A page that could not be rendered: where in the body, the code and what went wrong."""

    def __init__(self, line: int, message: str, *, column: int = 1, code: str = "E218") -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message

    def located(self, path: str, first_line: int = 1) -> str:
        """`path:line:col: error[CODE] message`, the line counted in the file whose body starts on `first_line`."""
        return f"{path}:{first_line + self.line - 1}:{self.column}: error[{self.code}] {self.message}"


def body_start(text: str, body: str) -> int:
    """The line of the file `text` on which `body` starts: mkdocs hands a page over without its front
    matter, and a failure is reported where the person will look, in the file."""
    return text[:len(text) - len(body)].count("\n") + 1 if text.endswith(body) else 1


def neutralise(markdown: str) -> str:
    """The Markdown with every `<` outside code shown as text, so no HTML reaches the page;
    autolinks stay links. Code keeps its characters: Markdown shows code as written. Code is what
    the renderer reads as code (mdtext.markdown_code): a span may go on over the lines of its
    paragraph, and text it is not certain of is escaped, so nothing kept as code is read as prose.

    Nor may the page give an element an id the theme reads (Material parses the first element
    with id `__config` as its configuration): attribute lists (`{: #__config }`, on a paragraph,
    heading or fence) are shown as text, and a heading whose anchor would start with `_`, where
    the theme keeps its ids, gets one in the namespace account Markdown uses."""
    # Python-Markdown reads \r as a line end and drops STX/ETX before it parses: so does the reading here.
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "").replace("\x03", "")
    lines = markdown.split("\n")
    found = markdown_code(markdown)
    out = _published(lines, found)
    # Escaping lengthens text, and Python-Markdown skips as many characters after a backtick run it cannot
    # close as the run is long: which text is code is read again from what is published, and a run of lines
    # whose published text keeps a `<` or a brace outside it is escaped whole.
    again = markdown_code("\n".join(out))
    if any(was.fenced != now.fenced for was, now in zip(found, again, strict=True)):
        found = [LineCode(False)] * len(lines)
    else:
        unsure = {index for index, line in enumerate(out) if not again[index].fenced and _raw_outside(line, again[index])}
        for start, end in _runs(lines, found):
            if unsure.intersection(range(start, end)):
                found[start:end] = [code if code.fenced else LineCode(False) for code in found[start:end]]
    out = _published(lines, found)
    for index, code in enumerate(found):
        if not code.fenced:
            underlined = index + 1 < len(lines) and not found[index + 1].fenced and _SETEXT.match(lines[index + 1])
            out[index] = _namespaced_heading(out[index], lines[index], setext=bool(underlined))
    return "\n".join(out)


def _published(lines: list[str], found: list[LineCode]) -> list[str]:
    out = []
    for line, code in zip(lines, found, strict=True):
        if code.fenced:
            opener = _FENCE_ATTRIBUTES.match(line)
            out.append(opener.group(1) + opener.group(2) if opener else line)
        else:
            out.append("".join(piece if is_code else _escape_prose(piece) for piece, is_code in _pieces(line, code.spans)))
    return out


def _raw_outside(line: str, code: LineCode) -> bool:
    """Whether the published line has a brace, or a `<` that starts no autolink, outside its code."""
    inside = [False] * len(line)
    for start, end in code.spans:
        inside[start:end] = [True] * (end - start)
    return any(not inside[at] and (char != "<" or not AUTOLINK.match(line, at))
               for at, char in enumerate(line) if char in "<{}")


def _runs(lines: list[str], found: list[LineCode]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of lines between blank lines outside fences: no code span crosses a blank line."""
    start = 0
    for index, (line, code) in enumerate(zip(lines, found, strict=True)):
        if not code.fenced and not line.strip(" \t"):
            yield start, index
            start = index + 1
    yield start, len(lines)


def _pieces(line: str, spans: tuple[tuple[int, int], ...]) -> Iterator[tuple[str, bool]]:
    at = 0
    for start, end in spans:
        yield line[at:start], False
        yield line[start:end], True
        at = end
    yield line[at:], False


def _escape_prose(text: str) -> str:
    return _escape_lt(text).replace("{", "&#123;").replace("}", "&#125;")


_FENCE_ATTRIBUTES = re.compile(r"^( {0,3}(?:`{3,}|~{3,})[ \t]*(?:[\w+#.-]+)?)[ \t]*\{[^}\n]*\}[ \t]*(.*)$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ ]*$")
_SETEXT_TEXT = re.compile(r"^( *)(.*?)[ \t]*$")
# A `#` heading, also in a list item, a quote or indented in an admonition (`#x` is one to Python-Markdown).
_ATX = re.compile(r"^((?:[ \t]*(?:[*+-]|\d+\.)[ \t]+|[ \t]*>[ \t]*|[ \t]+)*#{1,6}[ \t]*)(.*?)[ \t#]*$")


def _namespaced_heading(line: str, written: str, *, setext: bool = False) -> str:
    """The heading (`#` or, `setext`, underlined) with an anchor of ours if toc would give it one starting
    with `_`: toc makes it from the text as shown, braces and `<` as written (`# {: #__config }` is `__config`)."""
    from .authored import NAMESPACE, slug

    pattern = _SETEXT_TEXT if setext else _ATX
    match, shown = pattern.match(line), pattern.match(written)
    if not match or not shown:
        return line
    # toc reads the heading's text with entities resolved, the author's own `&#95;` included.
    anchor = next((s for s in (slug(unescape(match.group(2))), slug(unescape(shown.group(2)))) if s.startswith("_")),
                  None)
    if anchor is None:
        return line
    return f"{match.group(1)}{match.group(2)} {{ #{NAMESPACE}{anchor} }}"


def _escape_lt(prose: str) -> str:
    kept = AUTOLINK.split(prose)
    links = AUTOLINK.findall(prose)
    return "".join(text.replace("<", "&lt;") + (links[i] if i < len(links) else "") for i, text in enumerate(kept))


# -- rendering ----------------------------------------------------------------------------------

def publishable(body: str, *, site: SiteInput, here: str, macros: bool, html: bool,
                variables: Mapping[str, Any] | None = None) -> str:
    """The page's Markdown as it is published: macros expanded (when the page opts in) and raw
    HTML shown as text (unless the repository allows it). Raises MacroFailure."""
    if not macros:
        return body if html else neutralise(body)
    variables = variables or {}
    problems = check(body, variables)
    if problems:
        first = problems[0]
        raise MacroFailure(first.line, first.message, column=first.column, code=first.code)
    return sandboxed_render(body, site=site, here=here, html=html, variables=variables)


def sandboxed_render(body: str, *, site: SiteInput, here: str, html: bool,
                     variables: Mapping[str, Any] | None = None) -> str:
    """The second wall: render in Jinja's immutable sandbox with only our macros as globals, only
    the allowed filters and tests, no loader, no arithmetic that multiplies, and a bounded output.
    `publishable` calls it after `check`; on its own it must still refuse every escape."""
    import jinja2

    variables = variables or {}
    environment = sandbox()
    # Each macro's HTML goes in as a token no text can forge (a fresh number per render) and is
    # put back after the author's text was neutralised: our tables keep their markup, the
    # author's `<script>` does not. Digits and private-use characters survive upper/lower/title.
    nonce = str(secrets.randbelow(10**12))
    made: list[str] = []

    def bound(function):
        def macro(*args, **kwargs):
            made.append(str(function(site, here, *args, **kwargs)))
            return f"\ue000{nonce}.{len(made) - 1}\ue001"
        return macro

    environment.globals.update({name: bound(function) for name, function in MACROS.items()})
    try:
        template = environment.from_string(body)
        pieces, size = [], 0
        for piece in template.generate(**{k: v for k, v in variables.items() if k not in NOT_AVAILABLE}):
            size += len(piece)
            if size > OUTPUT_LIMIT:
                raise MacroFailure(1, f"the page failed to render: it renders to more than {OUTPUT_LIMIT:,} characters")
            pieces.append(piece)
    except MacroFailure:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise MacroFailure(exc.lineno, f"the page failed to render: {exc.message}") from None
    except RecursionError:
        raise MacroFailure(1, "the page failed to render: RecursionError: it calls itself without end") from None
    except Exception as exc:  # whatever a macro or the sandbox raised: the build reports it located
        raise MacroFailure(_template_line(exc), f"the page failed to render: {type(exc).__name__}: {exc}") from None
    text = "".join(pieces)
    if not html:
        text = neutralise(text)
    token = re.compile(rf"\ue000{nonce}\.(\d+)\ue001")
    return token.sub(lambda m: made[int(m.group(1))], text)


def _template_line(exc: BaseException) -> int:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames and frames[-1].lineno else 1
