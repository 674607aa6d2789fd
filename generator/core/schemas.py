"""JSON Schema for every file kind, generated from the model, so editors check files as people type."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .model import AccountProfile, CriteriaConfig, Goal, Person, ReviewMeta, Stakeholder, StrategyMeta


@dataclass(frozen=True)
class FileKind:
    name: str
    pattern: str  # where such files live
    model: type[BaseModel]
    is_list: bool
    front_matter: bool = False
    may_be_empty: bool = False  # a file of comments only is an empty list (what `kam new` and the import write)


FILE_KINDS = (
    FileKind("criteria", "criteria.yml", CriteriaConfig, False),
    FileKind("team", "team.yml", Person, True),
    FileKind("account", "accounts/<id>/account.yml", AccountProfile, False),
    FileKind("stakeholders", "accounts/<id>/stakeholders.yml", Stakeholder, True, may_be_empty=True),
    FileKind("goals", "accounts/<id>/goals.yml", Goal, True, may_be_empty=True),
    FileKind("strategy", "accounts/<id>/strategy.md (front matter)", StrategyMeta, False, True),
    FileKind("review", "accounts/<id>/reviews/YYYY-MM-DD-slug.md (front matter)", ReviewMeta, False, True),
)


def json_schema(kind: FileKind) -> dict[str, Any]:
    # list[kind.model] spelt as what it makes at run time: the model is a value here, not a type mypy knows
    list_of: Any = types.GenericAlias(list, (kind.model,))
    schema = TypeAdapter(list_of).json_schema() if kind.is_list else kind.model.model_json_schema()
    if kind.may_be_empty:  # YAML reads a file of comments as null: the tool accepts it, so must the schema
        schema["type"] = ["array", "null"]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{kind.pattern}"
    return schema


def schema_files() -> dict[str, str]:
    """File name -> JSON text, byte-stable so the committed copies can be checked for drift."""
    return {f"{k.name}.schema.json": json.dumps(json_schema(k), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for k in FILE_KINDS}


def write_schemas(folder: Path, *, overwrite: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = folder / name
        if path.exists() and not overwrite and path.read_text(encoding="utf-8") != text:
            raise FileExistsError(path)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _type_text(tp: Any) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return _type_text(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_text(a) for a in args if a is not type(None)) + " (or null)"
    if origin in (list, tuple):
        return f"list of {_type_text(args[0])}"
    if origin is dict:
        return f"mapping of {_type_text(args[0])} to {_type_text(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"{tp.__name__} (mapping)"
    return getattr(tp, "__name__", str(tp)).replace("float", "number").replace("str", "text").replace("int", "whole number")


def field_rows(model: type[BaseModel]) -> list[tuple[str, str, bool]]:
    return [(name, _type_text(f.annotation), f.is_required()) for name, f in model.model_fields.items()]


def nested_models(model: type[BaseModel], seen: list[type[BaseModel]] | None = None) -> list[type[BaseModel]]:
    seen = seen if seen is not None else []
    for f in model.model_fields.values():
        stack: list[Any] = [f.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if tp not in seen:
                    seen.append(tp)
                    nested_models(tp, seen)
            else:
                stack.extend(typing.get_args(tp))
    return seen
