"""Schema checks: YAML values against the model's records, pydantic errors turned into
located diagnostics, and validated records assembled into accounts."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import inspect
import math
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import annotated_types
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from ..core.codes import emits
from ..core.diagnostics import Diagnostic, diagnostic
from ..core.ids import LENGTH_WHY, RESERVED_WHY
from ..core.load import AccountFiles, MarkdownDoc
from ..core.mdtext import first_heading, split_sections
from ..core.model import (
    CRITERION_ID_PATTERN,
    CURRENCY_PATTERN,
    EMAIL_PATTERN,
    FINGERPRINT_PATTERN,
    ID_PATTERN,
    Account,
    AccountAsRead,
    AccountProfile,
    CriteriaConfig,
    Goal,
    Person,
    Plan,
    Review,
    ReviewMeta,
    Stakeholder,
    StrategyMeta,
)
from ..core.text import suggest
from ..core.textscan import char_name, first_invisible, visible
from ..core.yamldoc import Loc, YamlDoc

# What the schema checks report: a refused value by the reason pydantic gives, or the paste that caused it.
EMITS = emits("E003", "E020", "E021", "E022", "E101", "E102", "E103", "E104", "E105", "E106", "E107", "E111",
              "E113", "E114", "E120")

_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "list_type": "a list", "tuple_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping", "bool_type": "true or false", "bool_parsing": "true or false",
}
_RANGE_KINDS = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}
_BOUND_WORDS = {"ge": "at least", "gt": "greater than", "le": "at most", "lt": "less than"}
_BOUND_TYPES = {annotated_types.Ge: "ge", annotated_types.Gt: "gt", annotated_types.Le: "le", annotated_types.Lt: "lt"}
_UNION_TYPES = (typing.Union, types.UnionType)
_LONG_DIGITS = re.compile(r"[-+]?[0-9]{21,}")


_LONG = 60  # characters of a value worth quoting back in a one-line message

_Record = TypeVar("_Record", bound=BaseModel)
_T = TypeVar("_T")


def figure(value: float) -> str:
    """A number as people write it in YAML: 0 not 0.0, 1e15 not 1e+15, .nan, 'a 301-digit number'."""
    if isinstance(value, int):
        digits = math.floor(math.log10(abs(value))) + 1 if value else 1  # str() refuses >4300 digits
        return str(value) if digits <= 20 else f"a {digits}-digit number"
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    mantissa, _, exponent = f"{value:.15g}".partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        text = figure(value)
        return text if text.startswith("a ") else f"the number {text}"
    text = str(value)
    if len(text) > _LONG:
        return f"'{text[:40]}…' ({len(text):,} characters)"
    return f"'{text}'"


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?P<sep>[,' ])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?$")
_OCTAL = re.compile(r"^[+-]?0[0-7_]+$")


def _yaml_reading(value: Any, source: str) -> str:
    """What YAML 1.1 made of a plain scalar, in words: `NO` -> "the boolean false"."""
    if isinstance(value, bool):
        return f"the boolean {describe(value)}"
    if isinstance(value, int) and _OCTAL.match(source):
        return f"the octal number {value}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return describe(value)


def _type_message(doc: YamlDoc | None, loc: Loc, subject: str, expected: str, value: Any) -> str:
    """The E101 message, with what YAML read when that explains it: a text field given `NO`,
    a number written with thousands separators."""
    if expected == "text" and value is not None and doc is not None:
        source = doc.plain_source(loc)
        if source is not None:
            return (f"{subject} must be text, but {source} was read by YAML as {_yaml_reading(value, source)}; "
                    f'write it in quotes: "{source}"')
    if expected in ("a number", "a whole number") and isinstance(value, str) and _THOUSANDS.match(value.strip()):
        digits = re.sub(r"[,' ]", "", value.strip())
        return f"{subject} must be {expected}; got {describe(value)}; write numbers without thousands separators: {digits}"
    return f"{subject} must be {expected}; got {describe(value)}"


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in _UNION_TYPES:
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = options[0]
        else:
            return tp


def declared_at(root: Any, loc: Loc) -> list[Any]:
    """What the model declares for the value at a pydantic loc: its type and, for a field, the
    field's constraints, so messages can list allowed keys, values and ranges."""
    declared = [root]
    for part in loc:
        tp = _unwrap(declared[-1])
        origin = typing.get_origin(tp)
        if inspect.isclass(tp) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            declared = [*field.metadata, field.annotation]
        elif origin in (list, tuple):
            declared = [typing.get_args(tp)[0]]
        elif origin is dict:
            declared = [typing.get_args(tp)[1]]
        else:
            return []
    return declared


def type_at(root: Any, loc: Loc) -> Any:
    """The declared type at a pydantic loc."""
    declared = declared_at(root, loc)
    return _unwrap(declared[-1]) if declared else None


def bounds_at(root: Any, loc: Loc) -> dict[str, float]:
    """The range declared for the number at a pydantic loc, such as {'ge': 0, 'le': 1e15}."""
    found: dict[str, float] = {}
    pending = declared_at(root, loc)
    while pending:
        item = pending.pop()
        if isinstance(item, FieldInfo):
            pending += item.metadata
        elif type(item) in _BOUND_TYPES:
            key = _BOUND_TYPES[type(item)]
            found.setdefault(key, getattr(item, key))
        elif typing.get_origin(item) is typing.Annotated:
            pending += typing.get_args(item)[1:]
            pending.append(typing.get_args(item)[0])
        elif typing.get_origin(item) in _UNION_TYPES:
            pending += [a for a in typing.get_args(item) if a is not type(None)]
    return found


def _huge_integer(value: Any) -> str:
    """'a 401-digit number' for a whole number too long to be a figure, else ''."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e300:
        return figure(value)
    if isinstance(value, str) and _LONG_DIGITS.fullmatch(value):
        return f"a {len(value.lstrip('+-'))}-digit number"
    return ""


def range_text(bounds: dict[str, float]) -> str:
    """'from 1 to 3650', or the bounds there are: 'at least 0', 'greater than 0 and at most 1e6'."""
    if "ge" in bounds and "le" in bounds:
        return f"from {figure(bounds['ge'])} to {figure(bounds['le'])}"
    return " and ".join(f"{_BOUND_WORDS[key]} {figure(bounds[key])}" for key in ("ge", "gt", "le", "lt") if key in bounds)


def _label(loc: Loc) -> str:
    """A pydantic-style path such as criteria[0].id; a list file's leading index is left out
    because the position already says which entry it is."""
    text = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]" if n else ""
        else:
            text += f".{part}" if text else str(part)
    return text or "value"


def to_diagnostic(doc: YamlDoc, err: ErrorDetails, root_type: Any, prefix: Loc = ()) -> Diagnostic:
    loc = prefix + tuple(err["loc"])
    kind = err["type"]
    path = doc.path
    pasted = _pasted_cause(doc, err, loc)
    if pasted is not None:
        return pasted
    if kind == "missing":
        where = f" in '{_label(loc[:-1])}'" if any(isinstance(p, str) for p in loc[:-1]) else ""
        return diagnostic(path, doc.position(loc[:-1]), "E102", f"missing required field '{loc[-1]}'{where}")
    if kind == "extra_forbidden":
        parent = type_at(root_type, tuple(err["loc"])[:-1])
        allowed = list(parent.model_fields) if inspect.isclass(parent) and issubclass(parent, BaseModel) else []
        return diagnostic(path, doc.position(loc, key=True), "E103",
                     f"unknown key '{loc[-1]}'{suggest(loc[-1], allowed)}")
    if loc[-1:] == ("[key]",):  # a mapping key that is not what the mapping allows: point at the key
        return diagnostic(path, doc.position(loc[:-1], key=True),
                     *_value_problem(err, f"key '{loc[-2]}' in '{_label(loc[:-2])}'", root_type, None, None, loc))
    return diagnostic(path, doc.position(loc),
                 *_value_problem(err, f"'{_label(loc)}'", root_type, tuple(err["loc"]), doc, loc))


# What a word processor or a spreadsheet puts into text, and what it does to YAML: the cause of
# an error that the schema would otherwise describe by its effect ("Keys should be strings").
_OPENING_QUOTES = "“‘„‚"
_CURLY_QUOTES = "“”‘’„‚"
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")
_ONE_COMMA_GROUP = re.compile(r"^[+-]?\d{1,3},\d{3}$")


def comma_number(text: str) -> tuple[str, str] | None:
    """(what is wrong, how to write it) for a number written with a decimal comma or thousands
    separators, such as ('a decimal comma', '7.5') for '7,5'; None for anything else."""
    text = text.strip()
    if _EUROPEAN.match(text):
        return "thousands separators and a decimal comma", text.replace(".", "").replace(",", ".")
    if _THOUSANDS.match(text):
        digits = re.sub(r"[,' ]", "", text)
        if _ONE_COMMA_GROUP.match(text):
            return "a comma", f"{digits}, or {text.replace(',', '.')} if the comma is a decimal comma"
        return "thousands separators", digits
    if _DECIMAL_COMMA.match(text):
        return "a decimal comma", text.replace(",", ".")
    return None


def _pasted_cause(doc: YamlDoc, err: ErrorDetails, loc: Loc) -> Diagnostic | None:
    """E020 (an invisible character), E021 (a number with commas) or E022 (curly quotes) when
    one of them is why the value or key at `loc` was refused."""
    kind = err["type"]
    if kind == "missing":
        return None
    at = loc[:-1] if loc[-1:] == ("[key]",) else loc
    number_key = isinstance(at[-1], int) and isinstance(_data_at(doc.data, at[:-1]), dict)
    is_key = number_key or kind == "extra_forbidden" or loc[-1:] == ("[key]",)
    pos = doc.position(at, key=is_key)
    text = at[-1] if is_key else err.get("input")
    if number_key:
        return _split_number(doc, pos, at[:-1])
    if not is_key and isinstance(text, (str, int, float)) and not isinstance(text, bool) and \
            isinstance(_data_at(doc.data, at[:-1]), dict):
        split = _split_number(doc, pos, at[:-1], str(text))
        if split is not None:
            return split
    if not isinstance(text, str):
        return None
    invisible = first_invisible(text)
    if invisible is not None:
        index, char = invisible
        shown = visible(text if len(text) <= _LONG else f"…{text[max(index - 20, 0):index + 20]}…").strip()
        subject = f"key '{shown}'" if is_key else f"'{_label(at)}' has '{shown}', which"
        return diagnostic(doc.path, doc.locate(pos, char), "E020",
                          f"{subject} contains {char_name(char)}: it cannot be seen, so the {'key' if is_key else 'value'} "
                          "looks right and is not; delete the character")
    if any(q in text for q in _CURLY_QUOTES):
        return _curly(doc, pos, at, text, is_key)
    advice = comma_number(text) if kind in ("float_type", "int_type", "float_parsing", "int_parsing") else None
    if advice is not None:
        return diagnostic(doc.path, pos, "E021", f"'{_label(at)}' must be a number; got '{text}' with {advice[0]}: "
                                                 f"write {advice[1]}")
    return None


def _data_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


_NUMBER_CHARS = frozenset("0123456789,.")


def _split_number(doc: YamlDoc, pos: tuple[int, int], parent: Loc, read: str | None = None) -> Diagnostic | None:
    """A number that a comma inside `{...}` split into two entries (`{score: 7,5}` is score 7 and a
    key 5), seen from either part (`read`: the value YAML read for the first): the number as
    written, with its decimal comma or thousands separators, at its first digit."""
    line = doc.source_line(pos[0])
    start = end = pos[1] - 1
    if read is None and (start < 2 or line[start - 1] != "," or not line[start - 2].isdigit()):
        return None
    while end < len(line) and line[end] in _NUMBER_CHARS:
        end += 1
    while start > 0 and line[start - 1] in _NUMBER_CHARS:
        start -= 1
    number = line[start:end].rstrip(",.")
    if read is not None and not ("," in number and "," not in read and number.startswith(read.split(",")[0]) and
                                 re.search(r",\d", number)):
        return None
    advice = comma_number(number)
    what, fix = advice if advice else ("commas", number.replace(",", ""))
    return diagnostic(doc.path, (pos[0], start + 1), "E021",
                      f"'{_label(parent)}' has {what} in {number}, and inside {{...}} a comma separates entries, "
                      f"so the number was split in two; write {fix}")


def _curly(doc: YamlDoc, pos: tuple[int, int], loc: Loc, text: str, is_key: bool) -> Diagnostic:
    """The error explained by typographic quotes, at the opening one: YAML did not take it for a
    quote, so a ',' inside ended the value (the rest became a key), or the quotes became text."""
    quote = next(q for q in text if q in _CURLY_QUOTES)
    line = doc.source_line(pos[0])
    where = (pos[0], max(line.rfind(q, 0, pos[1]) for q in _OPENING_QUOTES) + 1)
    if where[1] == 0:
        where = doc.locate(pos, quote)  # not found when written as an escape ("\u201c"): the value's start
        line = doc.source_line(where[0])
    written = line[where[1] - 1:]
    quoted = re.match(r"[“‘„‚]([^”’“‘]*)[”’“]?", written)
    inner = quoted.group(1) if quoted else text.strip(_CURLY_QUOTES)
    inner = inner if len(inner) <= _LONG else inner[:40] + "…"
    if is_key:
        effect = f"the ',' in the text ended the value and the rest became a key, '{text}'"
    else:
        effect = f"'{_label(loc)}' is the text with its quotes, {describe(text)}"
    return diagnostic(doc.path, where, "E022",
                      f"{char_name(written[:1] if quoted else quote)} is a typographic quote, which YAML does not "
                      f"take for a quote: {effect}; write straight quotes: \"{inner}\"")


def email_problem(value: str) -> str:
    """Why a team.yml email is not one plain address, and what to write instead."""
    if value.lower().startswith("mailto:"):
        return "write it without 'mailto:' (the site makes the link)"
    for char, what in (("?", "parameters such as bcc or subject"), ("#", "a fragment"), ("%", "encoded characters")):
        if char in value:
            return f"the '{char}' would add {what} to the mail link; write the address alone"
    if "<" in value or ">" in value:
        return "write the address alone, without a name or angle brackets"
    if "," in value or ";" in value or value.count("@") > 1:
        return "it names several addresses; write one"
    if any(c.isspace() for c in value):
        return "an address has no spaces"
    if any(c in value for c in '"()[]\\:'):
        return "an address has no quotes, parentheses, brackets, backslashes or colons"
    return "an address is name@domain.tld"


def _value_problem(err: ErrorDetails, subject: str, root_type: Any, model_loc: Loc | None,
                   doc: YamlDoc | None, loc: Loc) -> tuple[str, str]:
    """The code and message for a value the schema refused; `subject` names it, quoted. With
    `doc`, a type error also says what YAML read from the source text (NO -> false)."""
    kind = err["type"]
    value = err["input"]
    if kind == "literal_error":
        tp = type_at(root_type, model_loc) if model_loc is not None else None
        allowed = typing.get_args(tp) if typing.get_origin(tp) is Literal else ()
        return "E104", (f"{subject} must be one of {', '.join(map(str, allowed))}; "
                        f"got {describe(value)}{suggest(value, allowed)}")
    if kind.startswith("date") or kind.startswith("datetime"):
        return "E105", f"{subject} is not a valid date: {describe(value)} (expected YYYY-MM-DD)"
    bounds = bounds_at(root_type, model_loc) if model_loc is not None else {}
    if kind == "finite_number" or (kind == "int_type" and isinstance(value, float) and not math.isfinite(value)):
        within = f" {range_text(bounds)}" if bounds else ""
        number = "a whole number" if kind == "int_type" else "a number"
        return "E120", f"{subject} is not a finite number ({figure(value)}); write {number}{within}"
    if kind in _RANGE_KINDS:
        bounds = bounds or {_RANGE_KINDS[kind]: err["ctx"][_RANGE_KINDS[kind]]}
        return "E106", f"{subject} must be {range_text(bounds)}; got {describe(value)}"
    huge = _huge_integer(value)
    if kind in ("float_type", "int_type") and huge:
        # Too large for a float (over ~1e308), or even for YAML to read as a number (over 4300
        # digits, left as text): out of range, whatever the range is.
        limit = range_text(bounds) if bounds else "a number of a sensible size"
        return "E106", f"{subject} must be {limit}; got {huge}"
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        if pattern == ID_PATTERN:
            return "E107", f"{subject} must be a kebab-case id (like 'maria-gomez'); got {describe(value)}"
        if pattern == CRITERION_ID_PATTERN:
            return "E107", f"{subject} must be a snake_case id (like 'revenue_potential'); got {describe(value)}"
        if pattern == EMAIL_PATTERN:
            return "E111", (f"{subject} must be one e-mail address and nothing more, like 'jane.doe@example.com'; "
                            f"got {describe(value)}: {email_problem(str(value))}")
        if pattern == CURRENCY_PATTERN:
            return "E111", f"{subject} must be a three-letter currency code in capitals (like 'EUR'); got {describe(value)}"
        if pattern == FINGERPRINT_PATTERN:
            return "E111", (f"{subject} must be the fingerprint `kam import crm` writes ('sha256:' and 16 to 64 "
                            f"hexadecimal digits); got {describe(value)}")
        return "E111", f"{subject} is not valid: {describe(value)}"
    if kind == "id_reserved":
        return "E113", f"{subject} must not be {describe(value)}: {RESERVED_WHY}; add a word to it"
    if kind == "id_too_long":
        return "E114", f"{subject} is {len(value):,} characters long; {LENGTH_WHY}: got {describe(value)}"
    if kind == "string_too_short":
        return "E111", f"{subject} must not be empty"
    if kind == "too_short":
        return "E111", f"{subject} must have at least {err['ctx']['min_length']} entry"
    expected = _TYPE_WORDS.get(kind)
    if expected:
        return "E101", _type_message(doc, loc, subject, expected, value)
    return "E111", f"{subject}: {err['msg']}"


def _errors(doc: YamlDoc, exc: ValidationError, root_type: Any, prefix: Loc = ()) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    # A misspelt required key would otherwise be two errors (unknown 'industy', missing
    # 'industry'); like a compiler, report the cause once, with its suggestion.
    explained = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = type_at(root_type, tuple(e["loc"])[:-1])
            if inspect.isclass(parent) and issubclass(parent, BaseModel):
                match = difflib.get_close_matches(str(e["loc"][-1]), list(parent.model_fields), n=1, cutoff=0.6)
                if match:
                    explained.add(tuple(e["loc"])[:-1] + (match[0],))
    return [to_diagnostic(doc, e, root_type, prefix) for e in errors
            if not (e["type"] == "missing" and tuple(e["loc"]) in explained)]


def _empty(doc: YamlDoc) -> Diagnostic:
    # Front matter is the only YAML that starts below line 1 of its file.
    return diagnostic(doc.path, doc.position(), "E003", "front matter is empty" if doc.line_offset else "file is empty")


def check_mapping(doc: YamlDoc | None, model: type[_Record], what: str) -> tuple[_Record | None, list[Diagnostic]]:
    """Validate a document that holds one mapping. Returns (record or None, diagnostics)."""
    if doc is None:
        return None, []
    if doc.empty:
        return None, [_empty(doc)]
    if not isinstance(doc.data, dict):
        return None, [diagnostic(doc.path, doc.position(), "E101", f"{what} must be a mapping of fields; got {describe(doc.data)}")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _errors(doc, exc, model)


def _list_of(model: type[BaseModel]) -> Any:
    """list[model] for a model chosen at run time (written so, mypy would read it as a type)."""
    return types.GenericAlias(list, (model,))


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(_list_of(model))  # building one costs ~0.2 ms; files of a kind share it


def check_list(doc: YamlDoc | None, model: type[_Record], what: str, *,
               may_be_empty: bool = False) -> tuple[tuple[_Record, ...], tuple[int, ...], list[Diagnostic]]:
    """Validate a document that holds a list of records; keep every valid item.

    `may_be_empty`: a file with no entries, only comments, is an empty list (an account's
    stakeholders.yml before the first stakeholder), so people can add entries below them.
    Returns (records, their indexes in the file, diagnostics)."""
    if doc is None:
        return (), (), []
    if doc.empty:
        return (), (), [] if may_be_empty else [_empty(doc)]
    if not isinstance(doc.data, list):
        return (), (), [diagnostic(doc.path, doc.position(), "E101", f"{what} must be a list; got {describe(doc.data)}")]
    try:
        items: list[_Record] = _list_adapter(model).validate_python(doc.data)
        return tuple(items), tuple(range(len(items))), []
    except ValidationError as exc:
        problems = _errors(doc, exc, _list_of(model))
    # Slow path only for a file with errors: salvage the valid items so that cross-file
    # rules still run on them and every problem is reported in one pass.
    valid: list[_Record] = []
    rows: list[int] = []
    for i, raw in enumerate(doc.data):
        try:
            valid.append(model.model_validate(raw))
            rows.append(i)
        except ValidationError:
            pass
    return tuple(valid), tuple(rows), problems


def criteria(doc: YamlDoc | None) -> tuple[CriteriaConfig | None, list[Diagnostic]]:
    return check_mapping(doc, CriteriaConfig, "criteria.yml")


def team(doc: YamlDoc | None) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    people, _, problems = check_list(doc, Person, "team.yml")
    return people, problems


def _front(doc: MarkdownDoc, model: type[_Record], what: str) -> tuple[_Record | None, list[Diagnostic]]:
    if doc.front is None:
        return None, []
    return check_mapping(doc.front, model, what)


def plan(doc: MarkdownDoc | None) -> tuple[Plan | None, list[Diagnostic]]:
    if doc is None:
        return None, []
    meta, problems = _front(doc, StrategyMeta, "front matter of strategy.md")
    sections = split_sections(doc.body, doc.body_line)
    shared = meta.shared_sections if meta else ()
    return Plan(doc.path, meta.updated if meta else None, sections, doc.body, doc.body_line,
                meta.asks if meta else (), shared), problems


def review(doc: MarkdownDoc) -> tuple[Review | None, list[Diagnostic]]:
    meta, problems = _front(doc, ReviewMeta, "review front matter")
    if meta is None:
        return None, problems
    slug = doc.path.rsplit("/", 1)[-1].removesuffix(".md")
    title = first_heading(doc.body) or f"{meta.type.replace('_', ' ').title()} {meta.date.isoformat()}"
    return Review(doc.path, slug, meta, title, doc.body, doc.body_line), problems


# id of a parsed document -> (the document, what checking it gave); the document is kept so that
# its id cannot be reused by another while the entry lives.
SchemaMemo = dict[int, tuple[object, Any]]


def account(files: AccountFiles, memo: SchemaMemo | None = None) -> tuple[AccountAsRead, list[Diagnostic]]:
    """The account as far as its files can be read: without a profile when account.yml is
    unusable, without the entries and reviews that failed the schema.

    `memo` lets a caller that reads many versions of the same files (`kam history`) check each
    parsed document once: results are kept per document object, which its reader caches per blob."""
    def once(doc: object | None, check: Callable[[], _T]) -> _T:
        if memo is None or doc is None:
            return check()
        kept = memo.get(id(doc))
        if kept is None or kept[0] is not doc:
            kept = memo[id(doc)] = (doc, check())
        result: _T = kept[1]
        return result

    profile, problems = once(files.account, lambda: check_mapping(files.account, AccountProfile, "account.yml"))
    problems = list(problems)
    stakeholders, stakeholder_rows, more = once(files.stakeholders, lambda: check_list(
        files.stakeholders, Stakeholder, "stakeholders.yml", may_be_empty=True))
    problems += more
    goals, goal_rows, more = once(files.goals, lambda: check_list(files.goals, Goal, "goals.yml", may_be_empty=True))
    problems += more
    the_plan, more = once(files.strategy, lambda: plan(files.strategy))
    problems += more
    reviews: list[Review] = []
    for doc in files.reviews:
        one, more = once(doc, functools.partial(review, doc))
        problems += more
        if one is not None:
            reviews.append(one)
    reviews.sort(key=lambda r: (r.meta.date, r.slug))
    parts = (stakeholders, goals, the_plan, tuple(reviews), stakeholder_rows, goal_rows)
    if profile is None:
        return AccountAsRead(files.id, files.dir, None, *parts), problems
    return Account(files.id, files.dir, profile, *parts), problems
