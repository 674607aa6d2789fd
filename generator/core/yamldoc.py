"""YAML that remembers where every value came from.

libyaml composes the node graph (fast, in C); we turn nodes into plain Python values ourselves
instead of using PyYAML's constructor, because we need three things it does not give:
duplicate keys reported (PyYAML silently keeps the last one), a bound on alias expansion
(billion-laughs documents), and positions for any value or key, looked up only when a
diagnostic needs one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .codes import emits
from .diagnostics import Diagnostic, diagnostic
from .textscan import char_name

EMITS = emits("E001", "E005", "E006", "E008", "E015", "E022", "E101")

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyPI wheels ship libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_RESOLVER = yaml.resolver.Resolver()
_CACHED_TEXT = 80  # characters

# Where a value sits in a document: mapping keys and list indexes from the root, as pydantic
# reports an error's place.
Loc = tuple[str | int, ...]


@lru_cache(maxsize=16_384)
def _plain_scalar_tag(value: str) -> str:
    tag: str = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
    return tag


class _Loader(_BaseLoader):
    """libyaml asks Python for the tag of every scalar, and runs PyYAML's implicit resolvers
    (regular expressions) on each: a sixth of the parse. Keys and values repeat across a
    portfolio (`role: champion` in every stakeholder file), so the answer is remembered. The
    safe loaders have no path resolvers, so a plain scalar's tag depends on its text alone, and
    a quoted one is always a string."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag: str
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR_TAG
            # A long text seldom repeats; kept out, it cannot make `kam serve` hold on to old files.
            if len(value) <= _CACHED_TEXT:
                return _plain_scalar_tag(value)
            tag = _RESOLVER.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
            return tag
        tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
        return tag

# Far above any real account file (a big one has a few thousand values), far below what
# exhausts memory: a billion-laughs document stops here after a few milliseconds.
MAX_NODES = 200_000

_STR_TAG = "tag:yaml.org,2002:str"
_KNOWN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp", "str", "binary")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class YamlDoc:
    path: str
    data: Any
    text: str = field(repr=False, compare=False)
    line_offset: int = 0  # lines of the file above the YAML text (front matter starts at 1)
    empty: bool = False  # no document at all (nothing but comments); `data` is None

    @cached_property
    def root(self) -> Node:
        # Composed again only when a diagnostic needs a position. Keeping every document's
        # node graph alive instead made the garbage collector dominate loading (2.5x slower
        # at 1,000 accounts); a valid file is never composed twice.
        loader = _Loader(self.text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:  # only an `empty` document has none, and no caller asks for its root
            raise ValueError(f"{self.path} holds no YAML document")
        return node

    def position(self, loc: Loc = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of its key when `key` is set.

        `loc` is a pydantic-style path of mapping keys and list indexes. Parts that do not
        exist (a missing field, a pydantic union tag) leave us at the deepest node found,
        which is where a human would look: the mapping that lacks the field.
        """
        if self.empty:
            return 1 + self.line_offset, 1
        node: Node = self.root
        key_node: Node | None = None
        for part in loc:
            child = _child(node, part)
            if child is None:
                key_node = None
                break
            key_node, node = child
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1

    def source_line(self, line: int) -> str:
        """The text of line `line` of the file ('' past the end); lines count as positions do."""
        index = line - 1 - self.line_offset
        lines = self.text.split("\n")
        return lines[index] if 0 <= index < len(lines) else ""

    def locate(self, start: tuple[int, int], needle: str) -> tuple[int, int]:
        """The position of the first `needle` at or after `start` (a node's position), on its line
        or a later one; `start` itself when there is none. Lets a message point inside a value."""
        line, column = start
        lines = self.text.split("\n")
        for index in range(line - 1 - self.line_offset, len(lines)):
            if index < 0:
                continue
            found = lines[index].find(needle, column - 1 if index == line - 1 - self.line_offset else 0)
            if found >= 0:
                return index + 1 + self.line_offset, found + 1
        return start

    def plain_source(self, loc: Loc) -> str | None:
        """The text of the unquoted scalar at `loc` as written, when YAML resolved it to
        something other than text (`NO` -> false, `0755` -> 493); None otherwise.

        Lets a schema message say what YAML made of a value the author meant as text."""
        if self.empty:
            return None
        node: Node = self.root
        for part in loc:
            child = _child(node, part)
            if child is None:
                return None
            node = child[1]
        if isinstance(node, ScalarNode) and not node.style and node.tag != _STR_TAG:  # libyaml: '', PyYAML: None
            return str(node.value)
        return None


def _child(node: Node, part: Any) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and _key_matches(key_node, part):
                return key_node, value_node
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _key_matches(key_node: ScalarNode, part: Any) -> bool:
    if key_node.value == part:
        return True
    return not isinstance(part, str) and key_node.value == str(part)


def parse(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document. Returns the document, or None with the reasons it has none.

    A stream without a document (nothing but comments) is an `empty` YamlDoc, not an error:
    whether a file may be empty is the file format's business, not YAML's.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, text, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [diagnostic(path, (1 + line_offset, 1), "E001", f"YAML syntax error: {_one_line(exc)}")]
    finally:
        loader.dispose()
    if root is None:
        return YamlDoc(path, None, text, line_offset, empty=True), []
    converter = _Converter(path, line_offset)
    try:
        data = converter.convert(root)
    except _Abort as abort:
        return None, [abort.diagnostic]
    except RecursionError:
        return None, [diagnostic(path, (1 + line_offset, 1), "E008", "document is nested too deeply to read")]
    return YamlDoc(path, data, text, line_offset), converter.diagnostics


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return diagnostic(path, (1 + line_offset, 1), "E001", f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}")
    lines = text.split("\n")
    # The parser decides what a tab in indentation is (one inside a block scalar is text);
    # only when it stopped because of one do we name the tab, where it is.
    tab = _tab_in_indentation(lines, mark.line, mark.column)
    if tab is not None and ("tab" in (exc.problem or "") or "cannot start any token" in (exc.problem or "")):
        return diagnostic(path, (mark.line + 1 + line_offset, tab + 1), "E005",
                     "tab character used for indentation; YAML allows only spaces")
    curly = _curly_quote(lines, mark.line, mark.column)
    if curly is not None:
        column, quote, inner = curly
        return diagnostic(path, (mark.line + 1 + line_offset, column + 1), "E022",
                          f"{char_name(quote)} is a typographic quote, which YAML does not take for a quote, so the "
                          f"value after it is read without quotes and a ': ' or ',' in it breaks the file; write "
                          f'straight quotes: "{inner}"')
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.problem} ({exc.context})"
    hint = _hint(exc, mark, lines, line_offset)
    return diagnostic(path, (mark.line + 1 + line_offset, mark.column + 1), "E001",
                 f"YAML syntax error: {problem}" + (f": {hint}" if hint else ""))


# A typographic quote where a value starts: after a key's ':', a list's '-', or '[', '{' or ','.
_CURLY_VALUE = re.compile(r"(?:^[ \t]*(?:-[ \t]+)?|[:,\[{][ \t]*)([“‘„‚])([^”’“‘]*)")


def _curly_quote(lines: list[str], line: int, column: int) -> tuple[int, str, str] | None:
    """(column from 0, quote, quoted text) of the last value opened with a typographic quote
    before `column` on the line where the parser stopped; None when there is none."""
    text = lines[line] if line < len(lines) else ""
    found = None
    for match in _CURLY_VALUE.finditer(text):
        if match.start(1) < column:
            found = (match.start(1), match.group(1), match.group(2))
    return found


def _tab_in_indentation(lines: list[str], line: int, column: int) -> int | None:
    """The column (from 0) of a tab at `column` or in the line's leading whitespace."""
    text = lines[line] if line < len(lines) else ""
    if column < len(text) and text[column] == "\t":
        return column
    indentation = text[: len(text) - len(text.lstrip(" \t"))]
    return indentation.index("\t") if "\t" in indentation else None


# libyaml's words for an indentation mistake name the token it could not place, not the line
# that is wrong; the hint compares the line with the one above, where the mistake usually is.
_INDENTATION_PROBLEMS = ("mapping values are not allowed", "did not find expected key",
                         "did not find expected '-' indicator")


def _hint(exc: yaml.MarkedYAMLError, mark: Mark, lines: list[str], line_offset: int) -> str:
    """`mark`: where the parser stopped (its problem mark, else its context mark)."""
    problem = exc.problem or ""
    if "expected <document start>" in problem:
        return _closed_document_hint(lines, mark.line)
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        n = exc.context_mark.line
        if _empty_collection(lines[n]):
            return f"line {n + 1 + line_offset}'s `{_empty_collection(lines[n])}` does not belong among entries; delete it"
        return (f"line {n + 1 + line_offset} has no ':' after its key; write 'key: value', "
                "or indent it further if it continues the value above")
    if not problem.startswith(_INDENTATION_PROBLEMS):
        return ""
    here = mark.line
    above = _line_above(lines, here)
    if problem.startswith("mapping values"):
        quoted = _quoted_value(lines[here], mark.column)
        if quoted:
            return f"the value contains ': ' and needs quotes: {quoted}"
    if above is None:
        return ""
    mine, theirs = _indentation(lines[here]), _indentation(lines[above])
    n, m = here + 1 + line_offset, above + 1 + line_offset
    list_start = exc.context_mark
    if problem.startswith("did not find expected '-'") and list_start and list_start.column == mark.column:
        return f"line {n} is in the column of a list's '- ' entries but is not one"
    if mine == theirs:
        return (f"line {n} is probably indented differently from its siblings, "
                "or a value above contains ': ' and needs quotes")
    spaces = f"{mine} space{'s' if mine != 1 else ''}"
    if mine > theirs and problem.startswith("mapping values"):
        return (f"line {n} is indented by {spaces} and line {m} above it by {theirs}, so YAML reads "
                f"line {n} as more of line {m}'s value; indent the keys of one mapping alike")
    return (f"line {n} is indented by {spaces} and line {m} above it by {theirs}: the entries of "
            "one list or mapping must start in the same column")


def _closed_document_hint(lines: list[str], line: int) -> str:
    for text in lines[:line]:
        value = _empty_collection(text)
        if value:
            what = "an empty list" if value == "[]" else "an empty mapping"
            return f"the file's `{value}` ({what}) ends the document; delete it before adding entries"
    return ""


def _empty_collection(line: str) -> str:
    """`[]` or `{}` when that is all the line holds (besides a comment), else ''."""
    value = line.split("#", 1)[0].strip()
    return value if value in ("[]", "{}") else ""


def _line_above(lines: list[str], line: int) -> int | None:
    for index in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quoted_value(line: str, column: int) -> str:
    """`key: "value"` when the line is `key: value` whose value holds the ': ' at `column`."""
    key, sep, value = line.partition(": ")
    if not sep or len(key) + 2 > column or '"' in value or "#" in value:
        return ""
    return f'{key.strip()}: "{value.strip()}"'


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Converter:
    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.line_offset = line_offset
        self.nodes_seen = 0
        self.diagnostics: list[Diagnostic] = []
        self._constructor = SafeConstructor()

    def pos(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def convert(self, node: Node) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            raise _Abort(diagnostic(self.path, self.pos(node), "E008",
                               f"document expands to more than {MAX_NODES:,} values "
                               "(anchors and aliases used as an alias bomb?)"))
        if isinstance(node, ScalarNode):
            return node.value if node.tag == _STR_TAG else self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.convert(item) for item in node.value]
        if isinstance(node, MappingNode):
            return self.mapping(node)
        raise TypeError(f"unknown YAML node {type(node).__name__}")  # YAML composes only the three above

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        # The common forms are built here, as PyYAML would build them; anything else (signs,
        # underscores, octal, times of day, floats) goes through PyYAML's own constructor.
        if tag == _STR_TAG:
            return value
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG and value.lower() in SafeConstructor.bool_values:
            return SafeConstructor.bool_values[value.lower()]
        if (tag == _INT_TAG and len(value) < 19 and value.isdecimal() and value.isascii()
                and (value[0] != "0" or value == "0")):
            return int(value)
        if tag == _TIMESTAMP_TAG and len(value) == 10:  # YYYY-MM-DD
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value  # an impossible date: the schema reports it, at this position
        if tag not in _KNOWN_SCALAR_TAGS:
            raise _Abort(diagnostic(self.path, self.pos(node), "E001", f"unsupported YAML tag {tag!r}"))
        try:
            return self._constructor.construct_object(node)
        except (ValueError, KeyError, yaml.YAMLError):
            # An impossible date such as 2026-02-30, or `!!bool maybe`: keep the text so that
            # the schema reports the value at this position.
            return value

    def mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, ScalarNode] = {}  # key -> its node, whose position is needed only for a duplicate
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Abort(diagnostic(self.path, self.pos(key_node), "E101",
                                   "mapping keys must be plain values, not lists or mappings"))
            if key_node.tag == _MERGE_TAG:
                # PyYAML would copy the anchored mapping's keys in here; we do not, so that
                # every value of an account is written where it applies (and located there).
                raise _Abort(diagnostic(self.path, self.pos(key_node), "E015",
                                   "merge key '<<' is not supported; write the keys out in this mapping"))
            key = self.scalar(key_node)
            if key in first_seen:
                self.diagnostics.append(diagnostic(
                    self.path, self.pos(key_node), "E006",
                    f"duplicate key {key!r} (first defined at line {self.pos(first_seen[key])[0]}); "
                    "only one value would be kept"))
            else:
                first_seen[key] = key_node
            result[key] = self.convert(value_node)
        return result
