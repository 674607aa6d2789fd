"""What a playbook page may contain, decided on its text alone (what `kam validate` runs): the
macros it may call and how, the Jinja it may use, and where it holds raw HTML.

Anyone who can open a pull request can edit the playbook, and CI builds every pull request, so a
page is untrusted input even though it is "ours". A page that opts in with `render_macros: true`
may call the project's macros (their names and parameters are declared here; the site implements
them in site/macros.py, and a test keeps the two equal) with literal arguments and use plain
control flow, nothing else. `check` proves that on the parsed template; site/playbookpage.py
renders in `sandbox()`, Jinja's immutable sandbox with only the macros as globals, so that a
construct the check missed is still refused. Attribute access is how template injection reaches
Python (`x.__class__.__init__.__globals__`), so no page gets any, on any object.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from ..core.codes import emits
from ..core.mdtext import markdown_code

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.runtime import Context
    from jinja2.sandbox import ImmutableSandboxedEnvironment

EMITS = emits("E014", "E210", "E212", "E215", "E216")  # `check`'s findings; validate.playbook reports them

# The macros a page may call, with the parameters a page passes (the build adds the site and the
# page's path in front of them).
MACRO_PARAMETERS: dict[str, tuple[str, ...]] = {
    "criteria_table": (), "tier_table": (), "tier_counts": (), "required_sections": (),
    "promotion_candidates": (), "account_link": ("account_id",),
}
# What mkdocs-macros gave a page: none of it is available now (each is a way into the build's
# Python objects), and a page that names one is told so (E215) rather than "unknown name".
PROVIDED_BY_MKDOCS_MACROS = ("config", "page", "extra", "environment", "plugin", "git", "macros", "filters",
                             "filters_builtin", "navigation", "files", "now", "context", "macros_info", "fix_url")


def page_signature(name: str) -> inspect.Signature:
    """The macro as a page calls it."""
    return inspect.Signature([inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                              for p in MACRO_PARAMETERS[name]])


# What a page may apply to a value. Each is a pure function of its input; none reaches an
# attribute by name (attr, map, selectattr, groupby, sort, sum, join take one), formats a string
# (format, %), or marks text safe.
ALLOWED_FILTERS = frozenset({"capitalize", "default", "d", "first", "last", "length", "count", "lower", "round",
                             "title", "trim", "upper", "int"})
ALLOWED_TESTS = frozenset({"defined", "undefined", "none", "number", "string", "even", "odd", "divisibleby",
                           "eq", "ne", "lt", "le", "gt", "ge", "in", "true", "false", "sameas"})
# `loop` inside a for loop is the one object a page may read an attribute of: these are plain values.
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth",
                             "depth0", "previtem", "nextitem"})
# Jinja's own globals and the template reference: each is a way back into Python
# (lipsum.__globals__, cycler.__init__.__globals__, self._TemplateReference__context), a
# namespace object to write to, or a range to exhaust memory with.
JINJA_GLOBALS = ("range", "dict", "lipsum", "cycler", "joiner", "namespace", "self")
NOT_AVAILABLE = frozenset(PROVIDED_BY_MKDOCS_MACROS) | frozenset(JINJA_GLOBALS)
# Nested loops over literal lists are the only way a checked page can make the renderer work
# long; each list is bounded by the file size, their product is bounded here.
LOOP_LIMIT = 10_000
OUTPUT_LIMIT = 5_000_000  # characters a page may render to, for the sandbox when the check was bypassed
_STATEMENTS = {  # statement nodes a page may not use, with the keyword the author wrote
    "Macro": "macro", "CallBlock": "call", "Import": "import", "FromImport": "from", "Include": "include",
    "Extends": "extends", "Block": "block", "FilterBlock": "filter", "With": "with", "AssignBlock": "set",
    "ScopedEvalContextModifier": "autoescape", "EvalContextModifier": "autoescape",
}
_WHY_NOT = {
    "macro": "a page calls the project's macros and defines none",
    "call": "a page calls the project's macros and defines none",
    "import": "a page cannot load other templates",
    "from": "a page cannot load other templates",
    "include": "a page cannot load other files",
    "extends": "a page cannot load other templates",
    "block": "a page is not a base template",
    "filter": "use a filter on a value instead",
    "with": "use `{% set name = 'literal' %}` instead",
    "set": "a `{% set %}` block captures rendered output; set a literal value instead",
    "autoescape": "a page renders Markdown, not escaped HTML",
}
_OPERATORS = {"Mul": "*", "Pow": "**", "Mod": "%", "Div": "/", "FloorDiv": "//"}
# Nodes with nothing to check of their own; their children are checked.
_PLAIN = frozenset({"Template", "Output", "TemplateData", "Const", "List", "Tuple", "Dict", "Pair", "Keyword", "If",
                    "CondExpr", "Compare", "Operand", "And", "Or", "Not", "Neg", "Pos", "Add", "Sub", "Concat"})
_LITERALS = frozenset({"Const", "List", "Tuple", "Dict", "Pair"})


@dataclass(frozen=True)
class Finding:
    """A problem in a page's body: line counted from the body's first line, column from 1."""
    line: int
    column: int
    code: str
    message: str


# -- the static check ---------------------------------------------------------------------------

def check(body: str, variables: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every reason the body may not be rendered: Jinja syntax (E014), constructs that are not
    allowed (E215), filters and tests outside the allowed lists (E216), unknown names (E210) and
    macro calls that do not fit the macro (E212). `variables` are the page's front matter."""
    import jinja2
    import jinja2.meta

    variables = variables or {}
    # The sandbox's environment, for parsing too: a plain one folds constants while compiling
    # (find_undeclared_variables compiles), and would compute `'x' * 10**9` in `kam validate`.
    environment = sandbox(restricted=False)
    try:
        tree = environment.parse(body)
    except jinja2.TemplateSyntaxError as exc:
        return [Finding(exc.lineno, 1, "E014", f"Jinja syntax error: {exc.message}")]
    lines = body.split("\n")
    findings = _walk(tree, _Scope(lines, _literal_sizes(tree, variables)), 1)
    known = set(MACRO_PARAMETERS) | NOT_AVAILABLE | set(variables) | {"loop"}
    try:
        undeclared = jinja2.meta.find_undeclared_variables(tree)
    except jinja2.TemplateAssertionError:  # a filter or test that does not exist: reported as E216 above
        undeclared = set()
    for name in sorted(undeclared - known):
        if not _dunder(name):
            line, column = _first_use(body, name)
            findings.append(Finding(line, column, "E210", f"unknown macro or variable '{name}'{_suggest(name)}"))
    findings += _macro_arguments(tree, lines)
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))


@dataclass(frozen=True)
class _Scope:
    lines: list[str]
    sizes: dict[str, int]  # how many items a name set to a literal (or given in front matter) holds


def _walk(node: nodes.Node, scope: _Scope, loops: int) -> list[Finding]:
    """The node's problems. A construct that is not allowed at all is reported without looking
    inside it; otherwise the innermost problem is the one reported (`config` in
    `config.__class__`, not the attribute access around it), so that each mistake is said once."""
    from jinja2 import nodes

    kind = type(node).__name__
    if kind in _STATEMENTS:
        keyword = _STATEMENTS[kind]
        return [_at(scope, node, rf"\{{%-?\s*({keyword})\b", "E215",
                    f"`{{% {keyword} %}}` is not allowed in a playbook page: {_WHY_NOT[keyword]}")]
    if isinstance(node, nodes.For):
        loops *= _size(node.iter, scope)
        if loops > LOOP_LIMIT:
            return [_at(scope, node, r"\{%-?\s*(for)\b", "E215",
                        f"these loops would run {loops:,} times; a page's nested loops may run at most {LOOP_LIMIT:,}")]
    inner = [finding for child in node.iter_child_nodes() for finding in _walk(child, scope, loops)]
    return inner or _own(node, kind, scope)


def _own(node: nodes.Node, kind: str, scope: _Scope) -> list[Finding]:
    from jinja2 import nodes

    if kind in _PLAIN:
        return []
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and (node.name in NOT_AVAILABLE or _dunder(node.name)):
            return [_at(scope, node, rf"\b({re.escape(node.name)})\b", "E215",
                        f"'{node.name}' is not available in a playbook page: only the playbook's macros are")]
        return []
    if isinstance(node, nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "loop" and node.attr in LOOP_ATTRIBUTES:
            return []
        return [_at(scope, node, rf"\.\s*({re.escape(node.attr)})\b", "E215",
                    f"attribute access ('.{node.attr}') is not allowed in a playbook page")]
    if kind in ("Getitem", "Slice"):
        return [_at(scope, node, r"(\[)", "E215", "item access ('[...]') is not allowed in a playbook page")]
    if isinstance(node, nodes.Call):
        return _own_call(node, scope)
    if isinstance(node, (nodes.Filter, nodes.Test)):
        allowed = ALLOWED_FILTERS if kind == "Filter" else ALLOWED_TESTS
        if node.name in allowed:
            return []
        what = "filter" if kind == "Filter" else "test"
        return [_at(scope, node, rf"(?:\||\bis\s+(?:not\s+)?)\s*({re.escape(node.name)})\b", "E216",
                    f"the {what} '{node.name}' is not allowed in a playbook page; allowed: {', '.join(sorted(allowed))}")]
    if kind in _OPERATORS:
        symbol = re.escape(_OPERATORS[kind])
        return [_at(scope, node, (rf"\s({symbol})\s", rf"({symbol})"), "E215",
                    f"the operator '{_OPERATORS[kind]}' is not allowed in a playbook page")]
    if isinstance(node, nodes.Assign):
        if node.target.__class__.__name__ == "NSRef":
            return [_at(scope, node, r"\{%-?\s*(set)\b", "E215", "assigning to an attribute is not allowed")]
        if not _literal(node.node):
            return [_at(scope, node, r"\{%-?\s*set\b[^=]*=\s*(\S)", "E215",
                        "`{% set %}` takes a literal value in a playbook page (text, a number, a list)")]
        return []
    if isinstance(node, nodes.For):
        if node.recursive:
            return [_at(scope, node, r"\b(recursive)\b", "E215", "recursive loops are not allowed in a playbook page")]
        return []
    return [_at(scope, node, r"(\{[{%])", "E215", f"this Jinja construct ({kind}) is not allowed in a playbook page")]


def _own_call(node: nodes.Call, scope: _Scope) -> list[Finding]:
    from jinja2 import nodes

    callee = node.node
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return [_at(scope, node, r"(\*)", "E215", "calls with *args or **kwargs are not allowed in a playbook page")]
    if not isinstance(callee, nodes.Name):
        return [_at(scope, node, r"(\()", "E215", "only the playbook's macros can be called in a playbook page")]
    if callee.name in MACRO_PARAMETERS or callee.name not in scope.sizes:
        return []  # a macro, or a name reported as unknown (E210) or unavailable (E215) already
    return [_at(scope, node, rf"\b({re.escape(callee.name)})\s*\(", "E215",
                f"'{callee.name}' is not a macro: only the playbook's macros can be called")]


def _literal(node: nodes.Node) -> bool:
    return type(node).__name__ in _LITERALS and all(_literal(child) for child in node.iter_child_nodes())


def _literal_sizes(tree: nodes.Template, variables: Mapping[str, Any]) -> dict[str, int]:
    """The most items each name can hold: what the front matter gives it, or the largest literal
    a `{% set %}` gives it. A loop over a name runs at most that many times."""
    from jinja2 import nodes

    sizes = {name: _length(value) for name, value in variables.items()}
    for assign in tree.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name):
            sizes[assign.target.name] = max(sizes.get(assign.target.name, 0), _size(assign.node, None))
    return sizes


def _size(node: nodes.Node, scope: _Scope | None) -> int:
    from jinja2 import nodes

    if isinstance(node, (nodes.List, nodes.Tuple, nodes.Dict)):
        return len(node.items)
    if isinstance(node, nodes.Const):
        return _length(node.value)
    if isinstance(node, nodes.Name) and scope is not None:
        return scope.sizes.get(node.name, 1)
    return 1


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 1


def _dunder(name: str) -> bool:
    return name.startswith("_")


def _at(scope: _Scope, node: nodes.Node, patterns: str | tuple[str, ...], code: str, message: str) -> Finding:
    """The finding at the node's line, its column at the first pattern's group found on that
    line (Jinja gives nodes a line, not a column)."""
    text = scope.lines[node.lineno - 1] if 0 < node.lineno <= len(scope.lines) else ""
    for pattern in (patterns,) if isinstance(patterns, str) else patterns:
        if found := re.search(pattern, text):
            return Finding(node.lineno, found.start(1) + 1, code, message)
    return Finding(node.lineno, 1, code, message)


def _suggest(name: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(MACRO_PARAMETERS), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


_JINJA_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _first_use(body: str, name: str) -> tuple[int, int]:
    word = re.compile(rf"\b{re.escape(name)}\b")
    for span in _JINJA_SPAN.finditer(body):
        found = word.search(span.group())
        if found:
            offset = span.start() + found.start()
            return body.count("\n", 0, offset) + 1, offset - (body.rfind("\n", 0, offset) + 1) + 1
    return 1, 1


def _macro_arguments(tree: nodes.Template, lines: list[str]) -> Iterator[Finding]:
    """Each call of one of our macros binds to its signature: a missing or extra argument is
    found here, at its line, not as a failure in the build."""
    from jinja2 import nodes

    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in MACRO_PARAMETERS or call.dyn_args or call.dyn_kwargs:
            continue
        signature = page_signature(call.node.name)
        try:
            signature.bind(*call.args, **{keyword.key: keyword.value for keyword in call.kwargs})
        except TypeError as exc:
            text = lines[call.lineno - 1] if 0 < call.lineno <= len(lines) else ""
            found = re.search(rf"\b{re.escape(call.node.name)}\s*\(", text)
            shown = "(" + ", ".join(signature.parameters) + ")"
            yield Finding(call.lineno, found.start() + 1 if found else 1, "E212", f"{call.node.name}{shown}: {exc}")


# -- raw HTML -----------------------------------------------------------------------------------

# What starts raw HTML for Markdown: an opening or closing tag, a comment, a declaration, a
# processing instruction. `<https://...>` and `<name@host>` are autolinks, and `a < b` is text.
_HTML_START = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|!--|![A-Za-z\[]|\?)")
AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>\"'`]*>", re.IGNORECASE)


def raw_html(body: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, what) of each piece of raw HTML outside code, at most one per line. Code is
    what the site's renderer reads as code, as `neutralise` publishes the page (mdtext.markdown_code)."""
    for index, (line, code) in enumerate(zip(body.split("\n"), markdown_code(body), strict=True)):
        if code.fenced:
            continue
        column, ends = 0, [start for span in code.spans for start in span] + [len(line)]
        for number, end in enumerate(ends):
            piece = line[column:end]
            found = None if number % 2 else _HTML_START.search(piece)
            if found:
                rest = piece[found.start():]
                tag = re.match(r"<[^\s>]*>?", rest)  # matches always: `rest` starts with '<'
                shown = tag.group() if tag else rest
                yield index + 1, column + found.start() + 1, shown[:40]
                break
            column = end


def sandbox(restricted: bool = True) -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class Sandbox(ImmutableSandboxedEnvironment):
        # Multiplying, raising to a power and %-formatting are how one short expression makes a
        # gigabyte (`'x' * 10**9`, `'%999999999s' % 1`); a page needs none of them.
        intercepted_binops = frozenset({"*", "**", "%", "/", "//"})

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> NoReturn:
            raise SecurityError(f"the operator '{operator}' is not allowed in a playbook page")

    environment = Sandbox(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    environment.globals.clear()
    if restricted:  # the check reports a filter outside the list by name (E216), not as a missing filter
        environment.filters = {name: f for name, f in environment.filters.items() if name in ALLOWED_FILTERS}
        environment.tests = {name: t for name, t in environment.tests.items() if name in ALLOWED_TESTS}
    return environment


