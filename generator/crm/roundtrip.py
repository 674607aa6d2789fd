"""Edits to files people wrote, keeping everything else as it was: comments, key order, quoting,
flow or block style and indentation. ruamel.yaml's round-trip mode reads and writes them; the
validator keeps its own fast reader (libyaml), which this module never replaces.

Values are changed in place (a nested mapping is updated key by key, never replaced), because
ruamel keeps a comment on the node before it: replacing a mapping would lose the comment that
follows it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, MutableMapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent


def _null(representer, _value):
    # ruamel writes None as an empty value; the files here say `null`.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _mapping_indent(text: str) -> int:
    """The indentation of the first nested key in the file (2 when nothing is nested)."""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped and stripped != line and not stripped.startswith(("#", "- ")):
            return len(line) - len(stripped)
    return 2


class Document:
    """One YAML file open for editing: `data` is ruamel's tree, `text()` the file again."""

    def __init__(self, text: str) -> None:
        _, sequence_indent, dash_offset = load_yaml_guess_indent(text)
        self._yaml = YAML()  # round-trip
        self._yaml.preserve_quotes = True
        self._yaml.width = 1 << 16  # never fold a long line someone wrote on one line
        self._yaml.representer.add_representer(type(None), _null)
        self._yaml.indent(mapping=_mapping_indent(text), sequence=sequence_indent or 2, offset=dash_offset or 0)
        self.data = self._yaml.load(text)

    def text(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()


def scalar(value: Any) -> Any:
    """A value as it should be written: figures without '.0', text quoted when it needs to be."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def flow_map(items: Mapping[str, Any], quoted: tuple[str, ...] = ()) -> CommentedMap:
    """A `{key: value, ...}` mapping; the keys in `quoted` are written in double quotes."""
    out = CommentedMap()
    for key, value in items.items():
        out[key] = DoubleQuotedScalarString(value) if key in quoted else scalar(value)
    out.fa.set_flow_style()
    return out


def set_value(mapping: MutableMapping[str, Any], key: str, value: Any, *, quoted: bool = False) -> None:
    """Set `key` unless it already holds an equal value (so an unchanged file stays unchanged)."""
    if key in mapping and _same(mapping[key], value):
        return
    mapping[key] = DoubleQuotedScalarString(value) if quoted else scalar(value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, (int, float)) and not isinstance(old, bool) and isinstance(new, (int, float)):
        return float(old) == float(new)
    if isinstance(old, dt.date) and isinstance(new, dt.date):
        return old == new
    return str(old) == str(new) if isinstance(old, str) else old == new


def update_entries(mapping: CommentedMap, entries: Mapping[str, Mapping[str, Any]], quoted: tuple[str, ...]) -> None:
    """Make `mapping` hold exactly `entries` (key -> small mapping), editing entries that exist
    in place, adding new ones as one-line mappings and removing the others."""
    for key in [k for k in mapping if k not in entries]:
        del mapping[key]
    for key, fields in entries.items():
        current = mapping.get(key)
        if isinstance(current, CommentedMap):
            for name in [n for n in current if n not in fields]:
                del current[name]
            for name, value in fields.items():
                set_value(current, name, value, quoted=name in quoted)
        else:
            mapping[key] = flow_map(fields, quoted)


def insert_last(data: CommentedMap, key: str, value: Any, comment: str | None = None) -> None:
    data.insert(len(data), key, value)
    if comment:
        data.yaml_set_comment_before_after_key(key, before=comment)


def block_list(seq: Any) -> CommentedSeq:
    """A sequence written in block style (`- ...` lines), even if the file had `[]`."""
    if isinstance(seq, CommentedSeq):
        seq.fa.set_block_style()
        return seq
    out = CommentedSeq(seq or [])
    out.fa.set_block_style()
    return out
