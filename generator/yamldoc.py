"""YAML that remembers where every value came from.

libyaml composes the node graph (fast, in C); we turn nodes into plain Python values ourselves
instead of using PyYAML's constructor, because we need three things it does not give:
duplicate keys reported (PyYAML silently keeps the last one), a bound on alias expansion
(billion-laughs documents), and positions for any value or key, looked up only when a
diagnostic needs one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, error

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyPI wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Far above any real account file (a big one has a few thousand values), far below what
# exhausts memory: a billion-laughs document stops here after a few milliseconds.
MAX_NODES = 200_000

_STR_TAG = "tag:yaml.org,2002:str"
_KNOWN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp", "str", "binary")
)
_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class YamlDoc:
    path: str
    data: Any
    text: str = field(repr=False, compare=False)
    line_offset: int = 0  # lines of the file above the YAML text (front matter starts at 1)

    @cached_property
    def root(self) -> Node:
        # Composed again only when a diagnostic needs a position. Keeping every document's
        # node graph alive instead made the garbage collector dominate loading (2.5x slower
        # at 1,000 accounts); a valid file is never composed twice.
        loader = _Loader(self.text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()

    def position(self, loc: tuple = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the value at `loc`, or of its key when `key` is set.

        `loc` is a pydantic-style path of mapping keys and list indexes. Parts that do not
        exist (a missing field, a pydantic union tag) leave us at the deepest node found,
        which is where a human would look: the mapping that lacks the field.
        """
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
    """Parse one YAML document. Returns the document, or None with the reasons it has none."""
    tab = _LEADING_TAB.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        col = tab.end() - tab.start()
        return None, [error(path, (line + line_offset, col), "E005",
                            "tab character used for indentation; YAML allows only spaces")]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        return None, [error(path, pos, "E001", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [error(path, (1 + line_offset, 1), "E001", f"YAML syntax error: {_one_line(exc)}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [error(path, (1 + line_offset, 1), "E003", "file is empty")]
    converter = _Converter(path, line_offset)
    try:
        data = converter.convert(root)
    except _Abort as abort:
        return None, [abort.diagnostic]
    except RecursionError:
        return None, [error(path, (1 + line_offset, 1), "E008", "document is nested too deeply to read")]
    return YamlDoc(path, data, text, line_offset), converter.diagnostics


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


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
            raise _Abort(error(self.path, self.pos(node), "E008",
                               f"document expands to more than {MAX_NODES:,} values "
                               "(anchors and aliases used as an alias bomb?)"))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.convert(item) for item in node.value]
        return self.mapping(node)

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        if node.tag not in _KNOWN_SCALAR_TAGS:
            raise _Abort(error(self.path, self.pos(node), "E001", f"unsupported YAML tag {node.tag!r}"))
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            # An impossible date such as 2026-02-30: keep the text so that the schema
            # reports it as an invalid date at this position.
            return node.value

    def mapping(self, node: MappingNode) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Abort(error(self.path, self.pos(key_node), "E101",
                                   "mapping keys must be plain values, not lists or mappings"))
            key = self.scalar(key_node)
            if key in first_seen:
                self.diagnostics.append(error(
                    self.path, self.pos(key_node), "E006",
                    f"duplicate key {key!r} (first defined at line {first_seen[key]}); "
                    "only one value would be kept"))
            else:
                first_seen[key] = self.pos(key_node)[0]
            result[key] = self.convert(value_node)
        return result
