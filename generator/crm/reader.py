"""Reading a CRM export: the mapping says which file and column holds what; pandas reads the
files, checks them and aggregates the opportunities into one typed record per account.
Nothing here writes a file (the importer does) or decides a score (proposals.py does).

Every problem with the input is a located diagnostic: E5xx stops the import before anything
is written, W5xx is reported and the import goes on. Work on the large table is vectorised;
Python loops only run over the distinct values of a column (names, stages, products).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import numpy as np
import pandas as pd
import yaml
from pydantic import Field, PrivateAttr

from ..core.codes import emits
from ..core.diagnostics import Diagnostic, diagnostic, summary
from ..core.errors import KamError
from ..core.ids import MAX_ID_LENGTH, id_from_name, slug
from ..core.load import EMITS as READING_CODES
from ..core.load import FolderSource, Reader
from ..core.model import CriterionId, Currency, Record, Text
from ..core.yamldoc import parse
from ..validate.schema import EMITS as SCHEMA_CODES
from ..validate.schema import check_mapping

DEFAULT_MAPPING = Path(__file__).parent / "crm_mapping.yml"
EXAMPLES = 3  # rows or names quoted in a warning; the count says how many more
# The export's problems, and the mapping file's: read as any repository file is, checked by the schema.
EMITS = emits("E501", "E502", "E503", "E504", "E505", "E506", "E507", "E508", "E509", "W501", "W502", "W503",
              "W504", "W506", "W507", "W511", "W512", *READING_CODES, *SCHEMA_CODES)


# -- the mapping file -------------------------------------------------------------------------

class AccountColumns(Record):
    name: Text
    sector: Text | None = None
    location: Text | None = None
    parent: Text | None = None


class OpportunityColumns(Record):
    account: Text
    agent: Text
    stage: Text
    close_date: Text
    value: Text
    product: Text | None = None


class TeamColumns(Record):
    agent: Text
    manager: Text | None = None
    region: Text | None = None


class ProductColumns(Record):
    name: Text
    price: Text
    family: Text | None = None  # the product's series or line, kept with what each account bought


class AccountsTable(Record):
    file: Text
    columns: AccountColumns


class OpportunitiesTable(Record):
    file: Text
    columns: OpportunityColumns
    won: Annotated[tuple[Text, ...], Field(min_length=1)] = ("Won",)  # stage values, any case
    lost: tuple[Text, ...] = ("Lost",)


class TeamsTable(Record):
    file: Text
    columns: TeamColumns


class ProductsTable(Record):
    file: Text
    columns: ProductColumns


class Synonyms(Record):
    """Spelling as exported -> as it should read; matched ignoring case and surrounding spaces."""
    sector: dict[str, Text] = Field(default_factory=dict)
    location: dict[str, Text] = Field(default_factory=dict)
    product: dict[str, Text] = Field(default_factory=dict)


Signal = Literal["revenue", "pipeline", "win_rate"]
DelimiterChar = Annotated[str, Field(min_length=1, max_length=1)]


class CrmMapping(Record):
    """A mapping file: where an export keeps each field the import reads."""
    source: Text | None = None  # the export's name in each account's crm record (default: its folder's)
    currency: Currency = "USD"
    encoding: Text = "utf-8"
    delimiter: DelimiterChar = ","
    # How amounts are written: a German export has `decimal: ","`, `thousands: "."`; text such as
    # "$" or "EUR" in `currency_signs` is removed from amounts before they are read.
    decimal: DelimiterChar = "."
    thousands: DelimiterChar | None = None
    currency_signs: tuple[Text, ...] = ()
    date_format: Text = "%Y-%m-%d"
    email_domain: Text = "example.com"  # for people added to team.yml: the export has no emails
    accounts: AccountsTable
    opportunities: OpportunitiesTable
    teams: TeamsTable | None = None
    products: ProductsTable | None = None
    synonyms: Synonyms = Synonyms()
    proposals: dict[CriterionId, Signal] = Field(default_factory=dict)  # criterion -> the figure behind it
    # table -> (mapping file, line, column) of its `file:` value, for diagnostics about it
    _file_at: dict[str, tuple[str, int, int]] = PrivateAttr(default_factory=dict)

    def file_at(self, table: str) -> tuple[str, tuple[int, int]]:
        path, line, column = self._file_at.get(table, ("the mapping file", 1, 1))
        return path, (line, column)


class CrmProblem(KamError):
    """Input the import cannot use: every diagnostic found, nothing written."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        found = tuple(diagnostics)
        super().__init__(f"{summary(found)} in the export; nothing was written", diagnostics=found)


_TABLES = ("accounts", "opportunities", "teams", "products")


def load_mapping(path: Path | None) -> tuple[CrmMapping, str]:
    """The mapping at `path` (default: the sample's), checked by the same schema code as the
    account files: an unknown key or a wrong value is a located E1xx, a YAML tag E508, a `file`
    that leaves the export folder E507. Returns it and its label."""
    path = path or DEFAULT_MAPPING
    label = path.as_posix() if path != DEFAULT_MAPPING else "crm_mapping.yml (built in)"
    shown = path.as_posix()
    reader = Reader(FolderSource(path.parent))
    text = reader.required_text(path.name)
    if text is None:
        raise CrmProblem([replace(d, path=shown) for d in reader.diagnostics])
    tag = _first_tag(text)
    if tag is not None:
        raise CrmProblem([diagnostic(shown, tag[1], "E508", f"YAML tags are not allowed in the mapping file: {tag[0]}; "
                                                            "write the plain value")])
    doc, found = parse(text, path.name)
    mapping, problems = check_mapping(doc, CrmMapping, "the mapping file")
    problems = [*found, *problems]
    if mapping is not None and doc is not None:
        problems += _mapping_problems(mapping, doc)
    if problems or mapping is None or doc is None:  # no document, no mapping
        raise CrmProblem([replace(d, path=shown) for d in problems])
    mapping._file_at.update({table: (shown, *doc.position((table, "file"))) for table in _TABLES
                             if getattr(mapping, table) is not None})
    return mapping, label


def _first_tag(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first YAML tag in `text` as written, and its line and column; None when it has none
    (or stops being YAML before one: the parser then says where)."""
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(token, yaml.TagToken):
                start, end = token.start_mark, token.end_mark
                return text[start.index:end.index], (start.line + 1, start.column + 1)
    except yaml.YAMLError:
        return None
    return None


def _mapping_problems(mapping: CrmMapping, doc) -> list[Diagnostic]:
    """What the schema cannot say about a mapping: files named outside the export folder, and a
    decimal mark that is also the thousands separator."""
    problems = []
    for table in _TABLES:
        chosen = getattr(mapping, table)
        why = None if chosen is None else outside_export(chosen.file)
        if why is not None:
            problems.append(_outside(doc.path, doc.position((table, "file")), table, why))
    if mapping.thousands is not None and mapping.thousands == mapping.decimal:
        problems.append(diagnostic(doc.path, doc.position(("thousands",)), "E509",
                                   f"`thousands` and `decimal` are both {mapping.decimal!r}, so an amount could be "
                                   "read two ways; name the export's thousands separator (or leave it out)"))
    return problems


def _outside(path: str, position: tuple[int, int], table: str, why: str) -> Diagnostic:
    return diagnostic(path, position, "E507", f"{table}.file {why}; name a file inside the export folder "
                                              f"(like '{table}.csv'): the import reads no other file")


_DRIVE = re.compile(r"^[A-Za-z]:")


def outside_export(name: str) -> str | None:
    """Why a mapping's `file` cannot name a file inside the export folder, whatever the folder
    is; None when it can. Either slash separates folders: a mapping may come from Windows."""
    if "\0" in name:
        return "holds a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return f"is an absolute path ({name!r})"
    if ".." in re.split(r"[\\/]", name):
        return f"leaves the export folder through '..' ({name!r})"
    return None


# -- reading --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """One file of the export as read: columns renamed to the mapping's field names."""
    path: Path
    label: str  # as diagnostics name it
    frame: pd.DataFrame
    positions: dict[str, tuple[str, int]]  # field -> (column as exported, its 1-based position)

    def at(self, field: str, row: int) -> tuple[int, int]:
        """(line, column) of a data row (0-based, as pandas counts) for one field: the header is line 1."""
        return row + 2, self.positions[field][1]

    def column(self, field: str) -> str:
        return self.positions[field][0]


def _label(export: Path, name: str) -> str:
    return (export / name).as_posix()


def _decode_problem(raw: bytes, encoding: str, label: str) -> Diagnostic | None:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return diagnostic(label, (line, column), "E505",
                          f"not {encoding} text (byte 0x{raw[exc.start]:02x}); export it as {encoding}, or name the "
                          "file's encoding in a mapping file (`encoding:`)")
    except LookupError:
        return diagnostic(label, (1, 1), "E505", f"unknown encoding {encoding!r} in the mapping file")
    return None


_OTHER_DELIMITERS = (";", "\t", "|", ",")


def _header_problem(label: str, header: list[str], wanted: dict[str, str], delimiter: str,
                    table: str) -> list[Diagnostic]:
    missing = [(field, column) for field, column in wanted.items() if column not in header]
    if not missing:
        return []
    if len(header) == 1:
        for other in _OTHER_DELIMITERS:
            if other != delimiter and other in header[0]:
                shown = "\\t" if other == "\t" else other
                return [diagnostic(label, (1, 1), "E506",
                                   f"the header is one column, {header[0][:60]!r}: the file looks separated by "
                                   f"{shown!r}, not {delimiter!r}; set `delimiter: \"{shown}\"` in a mapping file")]
    found = ", ".join(header) if header else "none (the file is empty)"
    return [diagnostic(label, (1, 1), "E502",
                       f"no column '{column}' (the mapping's {table}.columns.{field}); columns found: {found}")
            for field, column in missing]


def read_table(export: Path, file: str, fields: dict[str, str | None], mapping: CrmMapping, table: str,
               hasher, numbers: tuple[str, ...] = (), categories: tuple[str, ...] = ()) -> Table:
    """Read one file of the export, the mapped columns renamed to their fields. Values are text,
    except the `numbers` fields, read as numbers when they all are one (else as text, for
    parse_numbers to name the row that is not), and the `categories` fields, names that repeat
    on many rows, read as categories. Raises CrmProblem."""
    path = export / file
    label = _label(export, file)
    leaves = outside_export(file) or _links_out(export, path)
    if leaves is not None:
        raise CrmProblem([_outside(*mapping.file_at(table), table, leaves)])
    if not path.is_file():
        there = sorted(p.name for p in export.iterdir() if p.is_file()) if export.is_dir() else []
        listing = ", ".join(there) if there else "none"
        raise CrmProblem([diagnostic(label, (1, 1), "E501",
                                     f"no such file in the export (the mapping's {table}.file); files there: {listing}")])
    raw = path.read_bytes()
    hasher.update(file.encode("utf-8") + b"\0" + raw + b"\0")
    ascii_is_enough = raw.isascii() and mapping.encoding.replace("_", "-").lower() in ("utf-8", "utf8", "ascii")
    problem = None if ascii_is_enough else _decode_problem(raw, mapping.encoding, label)
    if problem is not None:
        raise CrmProblem([problem])
    wanted = {field: column for field, column in fields.items() if column is not None}
    options = dict(sep=mapping.delimiter, encoding=mapping.encoding, skipinitialspace=True)
    try:
        header = [str(c) for c in pd.read_csv(path, nrows=0, **options).columns]
    except pd.errors.EmptyDataError:
        header = []
    except (pd.errors.ParserError, ValueError) as exc:
        raise CrmProblem([_parser_problem(label, exc)]) from None
    problems = _header_problem(label, header, wanted, mapping.delimiter, table)
    if problems:
        raise CrmProblem(problems)
    types: dict[str, object] = {column: str for column in header}
    types.update({wanted[f]: "category" for f in categories if f in wanted})
    typed = {**types, **{wanted[f]: "float64" for f in numbers if f in wanted}}
    # Every column, not only the mapped ones: with `usecols` pandas would pass over a row with
    # more fields than the header, which means a stray delimiter has shifted its values.
    read = dict(keep_default_na=False, na_values=[""], **options)
    try:
        try:
            frame = pd.read_csv(path, dtype=typed, decimal=mapping.decimal, thousands=mapping.thousands, **read)
        except pd.errors.ParserError:
            raise
        except ValueError:  # a value that is not a number: read it as text, to say which row
            frame = pd.read_csv(path, dtype=types, **read)
    except (pd.errors.ParserError, ValueError) as exc:
        raise CrmProblem([_parser_problem(label, exc)]) from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took the first row's extra field for an index
        raise CrmProblem([_parser_problem(label, pd.errors.ParserError(
            f"Expected {len(header)} fields in line 2, saw {len(header) + frame.index.nlevels}"))])
    frame = pd.DataFrame({field: frame[column] for field, column in wanted.items()})
    positions = {field: (column, header.index(column) + 1) for field, column in wanted.items()}
    return Table(path, label, frame, positions)


def _links_out(export: Path, path: Path) -> str | None:
    """Whether `path`, inside `export` as written, is a symbolic link (or under one) that leads out of it."""
    target, folder = path.resolve(), export.resolve()
    if target == folder or folder in target.parents:
        return None
    return f"'{path.relative_to(export).as_posix()}' is a symbolic link that leads outside the export folder"


def _parser_problem(label: str, exc: Exception) -> Diagnostic:
    text = str(exc).strip()
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return diagnostic(label, (int(line), 1), "E506",
                          f"line {line} has {saw} fields where the header has {expected}: a value holding the delimiter "
                          "needs quotes, or the file uses another delimiter (`delimiter:` in a mapping file)")
    return diagnostic(label, (1, 1), "E506", f"not a CSV file pandas can read: {text.splitlines()[-1] if text else exc}")


def _bad_rows(table: Table, field: str, bad: np.ndarray, what: str, code: str) -> Diagnostic:
    """One diagnostic at the first bad row of a column, counting the others."""
    rows = np.flatnonzero(bad)
    first = int(rows[0])
    value = table.frame[field].iat[first]
    more = f" ({len(rows) - 1:,} more row{'s' if len(rows) > 2 else ''} like it)" if len(rows) > 1 else ""
    return diagnostic(table.label, table.at(field, first), code,
                      f"row {first + 1}, column '{table.column(field)}': {value!r} is not {what}{more}")


def parse_numbers(table: Table, field: str, mapping: CrmMapping) -> tuple[pd.Series, list[Diagnostic]]:
    text = table.frame[field]
    if text.dtype.kind == "f":  # read_table read them as numbers already
        return text, []
    numbers = pd.to_numeric(plain_amounts(text, mapping), errors="coerce")
    bad = (text.notna() & numbers.isna()).to_numpy()
    if bad.any():
        found = _bad_rows(table, field, bad, "a number", "E504")
        hint = number_hint(str(text[bad].iloc[0]), mapping)
        return numbers, [replace(found, message=found.message + hint) if hint else found]
    return numbers.astype(float), []


def plain_amounts(text: pd.Series, mapping: CrmMapping) -> pd.Series:
    """Amounts as written, in the form `pd.to_numeric` reads: currency signs and thousands
    separators removed, the decimal mark a dot. With a decimal mark other than the dot, a value
    that still holds a dot is no number (1.500 in a German export is fifteen hundred, not 1.5)."""
    plain = text.astype(object).where(text.notna()).str.strip()
    for sign in mapping.currency_signs:
        plain = plain.str.replace(sign, "", regex=False).str.strip()
    if mapping.thousands is not None:
        plain = plain.str.replace(mapping.thousands, "", regex=False)
    if mapping.decimal != ".":
        plain = plain.where(~plain.str.contains(".", regex=False).fillna(False).astype(bool))
        plain = plain.str.replace(mapping.decimal, ".", regex=False)
    return plain


_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*,\d+|[+-]?\d+,\d+")


def number_hint(value: str, mapping: CrmMapping) -> str:
    """How a mapping file would read an amount written the way `value` is, or ""."""
    signs = [c for c in value if unicodedata.category(c) == "Sc"]
    if signs and not any(s in value for s in mapping.currency_signs):
        return f"; to read amounts written with {signs[0]!r}, list it in `currency_signs:` in a mapping file"
    stripped = value.strip()
    for sign in mapping.currency_signs:
        stripped = stripped.replace(sign, "").strip()
    if mapping.decimal == "." and mapping.thousands is None:
        grouped, decimal = _THOUSANDS_COMMA.fullmatch(stripped), _DECIMAL_COMMA.fullmatch(stripped)
        if grouped:  # 1,234 is either; 1,234.50 and 1,234,567 are thousands
            return ("; for amounts with thousands separators, set `thousands: \",\"` in a mapping file"
                    + (" (or `decimal: \",\"` if the comma is the decimal mark)" if decimal else ""))
        if decimal:
            return ("; for amounts with a decimal comma, set `decimal: \",\"` (and `thousands: \".\"` if they have "
                    "thousands separators) in a mapping file")
    if "." in stripped and mapping.thousands is None and mapping.decimal == ",":
        return "; for amounts with thousands separators, set `thousands: \".\"` in a mapping file"
    return ""


def parse_dates(table: Table, field: str, date_format: str) -> tuple[pd.Series, list[Diagnostic]]:
    text = table.frame[field]
    dates = pd.to_datetime(text, format=date_format, errors="coerce")
    bad = (text.notna() & dates.isna()).to_numpy()
    if bad.any():
        shown = date_format.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        return dates, [_bad_rows(table, field, bad, f"a date in the form {shown}", "E503")]
    return dates, []


# -- what the export says about each account ----------------------------------------------------

@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str


class CrmAccount(NamedTuple):  # a tuple: a hundred thousand are made in a blink
    id: str
    name: str
    industry: str
    headquarters: str
    parent: str | None  # the parent's id, resolved by the importer against the repository too
    parent_name: str | None
    owner: str  # team id of the agent with the largest won value up to the as-of date
    executive_sponsor: str | None  # the owner's manager
    region: str  # the owner's regional office
    customer_since: dt.date
    row: int  # in the accounts file (0-based, as pandas counts), for diagnostics


@dataclass(frozen=True)
class CrmExport:
    source: str
    fingerprint: str
    as_of: dt.date
    currency: str
    mapping: CrmMapping
    accounts: tuple[CrmAccount, ...]
    figures: pd.DataFrame  # per account id: revenue, pipeline, open, won, lost, win_rate
    people: dict[str, Person]  # the sales teams' agents and managers, by id
    problems: tuple[Diagnostic, ...]  # W5xx, located at their first occurrence
    accounts_table: Table
    # What each account bought up to as_of: account id, product, family (or None), won value, won deals;
    # per account the largest won value first.
    products: pd.DataFrame

    def account(self, account_id: str) -> CrmAccount:
        return self._by_id[account_id]

    def bought(self, account_id: str) -> tuple[dict[str, object], ...]:
        """One account's products as its crm record lists them (ProductBought's fields)."""
        found = self.__dict__.get("_bought")
        if found is None:
            found = {}
            for row in self.products.itertuples(index=False):
                entry = {"name": row.product, **({"family": row.family} if isinstance(row.family, str) else {}),
                         "won": round(float(row.won), 2), "deals": int(row.deals)}
                found.setdefault(row.account, []).append(entry)
            object.__setattr__(self, "_bought", found)
        return tuple(found.get(account_id, ()))

    def where(self, account_id: str, field: str) -> tuple[str, tuple[int, int]]:
        """The file and (line, column) of one of an account's fields in the accounts file."""
        table = self.accounts_table
        return table.label, table.at(field, self.account(account_id).row)

    @property
    def _by_id(self) -> dict[str, CrmAccount]:
        found = self.__dict__.get("_index")
        if found is None:
            found = {a.id: a for a in self.accounts}
            object.__setattr__(self, "_index", found)
        return found


def _normalise(values: pd.Series, synonyms: dict[str, str], capitalise: bool) -> tuple[pd.Series, dict[str, str]]:
    """Each distinct value through the synonyms (ignoring case and spaces), then, for an
    all-lowercase word such as 'retail', capitalised. Returns the new values and what the
    synonyms changed (as exported -> as read)."""
    table = {k.strip().casefold(): v for k, v in synonyms.items()}
    changed: dict[str, str] = {}
    out: dict[str, str] = {}
    for value in values.dropna().unique():
        text = str(value).strip()
        read = table.get(text.casefold(), text)
        if read != text:
            changed[text] = read
        if capitalise and read.islower():
            read = read[0].upper() + read[1:]
        out[value] = read
    return values.map(out), changed


def _stage_masks(stage: pd.Series, won: tuple[str, ...], lost: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(stage)
    folded = [str(u).strip().casefold() for u in uniques]
    won_set, lost_set = {w.casefold() for w in won}, {v.casefold() for v in lost}
    is_won = np.append(np.array([u in won_set for u in folded], dtype=bool), False)
    is_lost = np.append(np.array([u in lost_set for u in folded], dtype=bool), False)
    return is_won[codes], is_lost[codes]  # code -1 (no stage) picks the appended False


def _first_rows(table: Table, field: str, mask: np.ndarray) -> tuple[tuple[int, int], str]:
    rows = np.flatnonzero(mask)
    shown = ", ".join(str(int(r) + 1) for r in rows[:EXAMPLES])
    more = f" and {len(rows) - EXAMPLES:,} more" if len(rows) > EXAMPLES else ""
    return table.at(field, int(rows[0])), f"rows {shown}{more}" if len(rows) > 1 else f"row {shown}"


def _named(counts: pd.Series) -> str:
    """'A' (3), 'B' (1) and 4 more: the names a warning is about, most frequent first."""
    ordered = counts.sort_values(ascending=False, kind="stable")
    shown = ", ".join(f"'{name}' ({int(n):,})" for name, n in ordered.head(EXAMPLES).items())
    return shown + (f" and {len(ordered) - EXAMPLES:,} more" if len(ordered) > EXAMPLES else "")


def read_export(export: Path, mapping: CrmMapping, as_of: dt.date | None = None, *, today: dt.date) -> CrmExport:
    """Read and aggregate an export. Raises CrmProblem (E5xx, E1xx) when it cannot be used. Figures
    count up to `as_of`, else the latest close date, else `today` (the command's reference date)."""
    hasher = hashlib.sha256()
    m = mapping
    accounts_t = read_table(export, m.accounts.file, m.accounts.columns.model_dump(), m, "accounts", hasher)
    opps_t = read_table(export, m.opportunities.file, m.opportunities.columns.model_dump(), m, "opportunities", hasher,
                        numbers=("value",), categories=("agent", "stage", "product"))
    teams_t = read_table(export, m.teams.file, m.teams.columns.model_dump(), m, "teams", hasher) if m.teams else None
    products_t = (read_table(export, m.products.file, m.products.columns.model_dump(), m, "products", hasher)
                  if m.products else None)

    errors: list[Diagnostic] = []
    close, found = parse_dates(opps_t, "close_date", m.date_format)
    errors += found
    value, found = parse_numbers(opps_t, "value", m)
    errors += found
    price = None
    if products_t is not None:
        price, found = parse_numbers(products_t, "price", m)
        errors += found
    if errors:
        raise CrmProblem(errors)

    warnings: list[Diagnostic] = []
    opps = opps_t.frame
    latest = close.max()
    as_of = as_of or (latest.date() if pd.notna(latest) else today)
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(years=1)  # the 12 months ending at as_of: (start, end]

    # Accounts: one row per name (an export of opportunities may repeat each account's fields).
    accounts = accounts_t.frame.copy()
    accounts["name"] = accounts["name"].str.strip()
    accounts["row"] = np.arange(len(accounts))
    accounts = accounts[accounts["name"].notna() & (accounts["name"] != "")]
    if accounts_t.path != opps_t.path:
        repeated = accounts["name"].duplicated()
        if repeated.any():
            warnings.append(diagnostic(accounts_t.label, accounts_t.at("name", int(accounts["row"][repeated].iloc[0])),
                                       "W507", f"{int(repeated.sum()):,} account name(s) listed twice; the first row of "
                                       f"each is used: {_named(accounts['name'][repeated].value_counts())}"))
    accounts = accounts.drop_duplicates("name").set_index("name")

    # Opportunities, by integer codes: each column of names is hashed once (factorize) and
    # cleaned on its distinct values only; sums per account are bincounts over the codes.
    account = Coded(opps["account"])
    position = np.append(accounts.index.get_indexer(account.names), -2)[account.codes]  # -1 unknown, -2 none
    is_won, is_lost = _stage_masks(opps["stage"], m.opportunities.won, m.opportunities.lost)
    is_open = ~(is_won | is_lost)
    no_account = position == -2
    if no_account.any():
        where, rows = _first_rows(opps_t, "account", no_account)
        warnings.append(diagnostic(opps_t.label, where, "W501",
                                   f"{int(no_account.sum()):,} opportunities have no account ({rows}); they count for none"))
    unknown = position == -1
    if unknown.any():
        where, _ = _first_rows(opps_t, "account", unknown)
        warnings.append(diagnostic(opps_t.label, where, "W502",
                                   f"{int(unknown.sum()):,} opportunities name an account that is not in "
                                   f"{accounts_t.label}; they count for none: {_named(account.counts(unknown))}"))

    # Open opportunities without a value are valued at their product's list price.
    amount = value.to_numpy(dtype=float, na_value=np.nan)
    open_value = amount
    product = Coded(opps["product"]) if "product" in opps_t.positions else None
    names: list[str] = []
    if product is not None:
        names, found = product_names(product, opps_t, products_t, m.synonyms.product)
        warnings += found
        if products_t is not None:
            open_value = _list_prices(product, names, products_t, price, amount, is_open)

    known = position >= 0
    upto = (close <= end).to_numpy()
    won_upto = is_won & upto & known
    in_window = won_upto & (close > start).to_numpy()
    won_value = np.nan_to_num(amount)
    pos, n = position[known], len(accounts)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(pos, weights=weights[known], minlength=n)

    figures = pd.DataFrame({
        "revenue": total(np.where(in_window, won_value, 0.0)),
        "pipeline": total(np.where(is_open, np.nan_to_num(open_value), 0.0)),
        "open": total(is_open.astype(float)).astype(int),
        "won": total(won_upto.astype(float)).astype(int),
        "lost": total((is_lost & upto & known).astype(float)).astype(int),
    }, index=accounts.index)
    figures["customer_since"] = pd.Series(close.to_numpy()[won_upto]).groupby(position[won_upto]).min() \
        .reindex(range(n)).set_axis(accounts.index)
    closed = figures["won"] + figures["lost"]
    figures["win_rate"] = (figures["won"] / closed).where(closed > 0)
    agent = Coded(opps["agent"])
    figures["owner_name"] = _owners(position, agent, won_upto & (agent.codes >= 0), won_value, accounts.index)

    empty = pd.DataFrame({"account": [], "product": [], "won": [], "deals": [], "family": []})
    bought = (empty if product is None else
              _bought(accounts.index, position, product, names, _families(products_t), won_upto, won_value))
    teams = _teams(teams_t, opps_t, agent, warnings)
    made = _assemble(export, m, accounts, accounts_t, figures, bought, teams, as_of, hasher, warnings)
    return replace(made, problems=made.problems + _person_ids(made.people, opps_t, agent, teams_t))


class Coded:
    """A column of names as integer codes (-1: empty) and its distinct names, stripped."""

    def __init__(self, column: pd.Series) -> None:
        codes, uniques = pd.factorize(column)
        stripped = pd.Index(uniques, dtype=object).str.strip()
        # "Ann Lee " and "Ann Lee" are one name; a name of spaces is none.
        merged, self.names = pd.factorize(stripped.where(stripped != "", None))
        self.names = pd.Index(self.names, dtype=object)
        self.codes = np.append(merged, -1)[codes]  # -1 (no value) stays -1

    def counts(self, mask: np.ndarray) -> pd.Series:
        """How many rows under `mask` name each name."""
        counts = np.bincount(self.codes[mask & (self.codes >= 0)], minlength=len(self.names))
        return pd.Series(counts, index=self.names).groupby(level=0).sum().loc[lambda c: c > 0]


def _owners(position: np.ndarray, agent: Coded, won: np.ndarray, value: np.ndarray, index: pd.Index) -> pd.Series:
    """Each account's owner: the agent with the largest won value up to as_of; ties go to the
    name first in alphabetical order, so the same export always gives the same owner."""
    if not won.any():
        return pd.Series(None, index=index, dtype=object)
    width = len(agent.names)
    sums = pd.Series(value[won]).groupby(position[won].astype(np.int64) * width + agent.codes[won]).sum()
    keys = sums.index.to_numpy()
    account, code = keys // width, keys % width
    alphabetical = np.argsort(np.argsort(agent.names.to_numpy(dtype=object), kind="stable"), kind="stable")
    order = np.lexsort((alphabetical[code], -sums.to_numpy(), account))  # the last key sorts first
    first = order[np.unique(account[order], return_index=True)[1]]
    owners = pd.Series(agent.names.to_numpy(dtype=object)[code[first]], index=index[account[first]])
    return owners.reindex(index)


def product_names(product: Coded, opps_t: Table, products_t: Table | None,
                  synonyms: dict[str, str]) -> tuple[list[str], list[Diagnostic]]:
    """Each distinct product name of the opportunities as the products file spells it: read
    through the synonyms, then as the product with the same name apart from spaces and case
    ('GTXPro' -> 'GTX Pro'), each reported; a name that matches none stays as written. Without a
    products file only the synonyms apply, silently: there is nothing to match against."""
    table = {k.strip().casefold(): v.strip() for k, v in synonyms.items()}
    if products_t is None:
        return [table.get(text.casefold(), text) for text in product.names], []
    known = set(products_t.frame["name"].str.strip().dropna())
    loose = {re.sub(r"\s+", "", n).casefold(): n for n in known}
    counts = np.bincount(product.codes[product.codes >= 0], minlength=len(product.names))
    names, warnings = [], []
    for i, text in enumerate(product.names):
        if text in known:
            names.append(text)
            continue
        first = int(np.argmax(product.codes == i))
        declared = table.get(text.casefold())
        if declared in known:  # the mapping says how to read it: a normalised spelling
            names.append(declared)
            warnings.append(diagnostic(opps_t.label, opps_t.at("product", first), "W503",
                                       f"product '{text}' read as '{declared}' ({int(counts[i]):,} opportunities)"))
            continue
        read = loose.get(re.sub(r"\s+", "", text).casefold())
        names.append(read if read is not None else text)
        if read is not None:
            warnings.append(diagnostic(opps_t.label, opps_t.at("product", first), "W504",
                                       f"product '{text}' is not in {products_t.label} ({int(counts[i]):,} opportunities); "
                                       f"read as '{read}', the same name apart from spaces and case"))
        else:
            warnings.append(diagnostic(opps_t.label, opps_t.at("product", first), "W504",
                                       f"product '{text}' is not in {products_t.label} ({int(counts[i]):,} opportunities); "
                                       "open ones without a value count as 0"))
    return names, warnings


def _list_prices(product: Coded, names: list[str], products_t: Table, price: pd.Series, amount: np.ndarray,
                 is_open: np.ndarray) -> np.ndarray:
    """Each opportunity's value, or for an open one without a value its product's list price."""
    prices = dict(zip(products_t.frame["name"].str.strip(), price))
    resolved = np.array([prices.get(name, np.nan) for name in names] + [np.nan], dtype=float)  # the last: no product
    return np.where(np.isnan(amount) & is_open, resolved[product.codes], amount)


def _bought(accounts: pd.Index, position: np.ndarray, product: Coded, names: list[str], families: dict[str, str],
            won: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """What each account bought: per account name and product (as the products file spells it),
    the won value and the number of won opportunities. Spellings read as one product add up."""
    rows = won & (product.codes >= 0)
    frame = pd.DataFrame({"account": accounts[position[rows]],
                          "product": np.asarray(names, dtype=object)[product.codes[rows]], "won": value[rows]})
    bought = frame.groupby(["account", "product"], sort=False).agg(won=("won", "sum"), deals=("won", "size"))
    bought = bought.reset_index()
    bought["family"] = bought["product"].map(families).astype(object)
    return bought


def _families(products_t: Table | None) -> dict[str, str]:
    if products_t is None or "family" not in products_t.frame:
        return {}
    frame = products_t.frame[["name", "family"]].apply(lambda column: column.str.strip()).dropna()
    frame = frame[(frame["name"] != "") & (frame["family"] != "")].drop_duplicates("name")
    return dict(zip(frame["name"], frame["family"]))


@dataclass(frozen=True)
class Teams:
    manager: dict[str, str]  # agent name -> manager name
    region: dict[str, str]  # agent name -> regional office


def _teams(teams_t: Table | None, opps_t: Table, agent: Coded, warnings: list[Diagnostic]) -> Teams:
    if teams_t is None:
        return Teams({}, {})
    frame = teams_t.frame.apply(lambda column: column.str.strip())
    frame = frame[frame["agent"].notna()].drop_duplicates("agent")
    manager = dict(zip(frame["agent"], frame["manager"])) if "manager" in frame else {}
    region = dict(zip(frame["agent"], frame["region"])) if "region" in frame else {}
    missing = ~agent.names.isin(frame["agent"])
    if missing.any():
        rows = np.isin(agent.codes, np.flatnonzero(missing))
        where, _ = _first_rows(opps_t, "agent", rows)
        counts = agent.counts(rows)
        warnings.append(diagnostic(opps_t.label, where, "W506",
                                   f"{len(counts):,} agent(s) on opportunities are not in {teams_t.label}, "
                                   f"so they have no manager or region: {_named(counts)}"))
    return Teams({k: v for k, v in manager.items() if isinstance(v, str)},
                 {k: v for k, v in region.items() if isinstance(v, str)})


def slugs(names: pd.Series) -> pd.Series:
    """`id_from_name` of every name of a column ("" for none); each distinct name is worked out once."""
    return names.map({name: id_from_name(name) for name in names.dropna().unique().tolist()}).fillna("")


def id_changed(name: str, made: str) -> tuple[str, str] | None:
    """The code and words of W511 or W512 when the id made from `name` is not its plain slug."""
    plain = slug(name)
    if not made or made == plain:
        return None
    if len(plain) > MAX_ID_LENGTH:
        return "W511", (f"the id made from '{name}' would be {len(plain):,} characters long; it is '{made}' "
                        f"(ids have at most {MAX_ID_LENGTH})")
    return "W512", f"the id made from '{name}' would be '{plain}', a name Windows reserves for a device; it is '{made}'"


def _assemble(export: Path, m: CrmMapping, accounts: pd.DataFrame, accounts_t: Table, figures: pd.DataFrame,
              bought: pd.DataFrame, teams: Teams, as_of: dt.date, hasher, warnings: list[Diagnostic]) -> CrmExport:
    """One record per account that is a customer by as_of, with unique, non-empty ids."""
    if "sector" in accounts:
        accounts["sector"], changed = _normalise(accounts["sector"], m.synonyms.sector, True)
        _report_normalised(accounts_t, "sector", accounts_t.frame["sector"], changed, warnings)
    if "location" in accounts:
        accounts["location"], changed = _normalise(accounts["location"], m.synonyms.location, False)
        _report_normalised(accounts_t, "location", accounts_t.frame["location"], changed, warnings)
    customers = figures[figures["customer_since"].notna()].join(accounts)
    prospects = accounts.index[~accounts.index.isin(customers.index)]
    if len(prospects):
        warnings.append(diagnostic(accounts_t.label, accounts_t.at("name", int(accounts.at[prospects[0], "row"])),
                                   "W507", f"{len(prospects):,} account(s) have no won opportunity up to {as_of} and "
                                   f"are not imported (not customers yet): {_named(pd.Series(1, index=prospects))}"))
    ids = slugs(customers.index.to_series())
    owners = customers["owner_name"]
    owner_ids = slugs(owners.fillna(""))
    why = pd.Series("", index=customers.index)
    why[ids.duplicated()] = "its name gives the id of an account listed before it"
    why[ids == ""] = "its name gives no id"
    why[owner_ids == ""] = "its owner's name gives no id"
    why[owners.isna()] = "no agent on its won opportunities"
    first = dict(zip(ids[~ids.duplicated()], ids.index[~ids.duplicated()]))
    for name in why.index[why != ""]:
        reason = why[name] if not why[name].startswith("its name gives the id") else \
            f"its name gives the id '{ids[name]}' of '{first[ids[name]]}'"
        warnings.append(diagnostic(accounts_t.label, accounts_t.at("name", int(customers.at[name, "row"])), "W507",
                                   f"account '{name}' is not imported: {reason}"))
    customers, ids = customers[why == ""], ids[why == ""]
    for name, made in ids.items():
        renamed = id_changed(name, made)
        if renamed is not None:
            row = int(customers.at[name, "row"])
            warnings.append(diagnostic(accounts_t.label, accounts_t.at("name", row), renamed[0],
                                       f"row {row + 1}: {renamed[1]}"))
    owners = customers["owner_name"]
    region = owners.map(teams.region).fillna("Unknown")
    manager = owners.map(teams.manager)
    # Everyone on the sales teams joins team.yml, not only the owners: an agent who owns no
    # account yet still works on them (and may own one after the next import).
    agents = pd.Series(sorted(set(teams.region) | set(teams.manager)), dtype=object)
    people = _people(pd.concat([owners, agents], ignore_index=True),
                     pd.concat([manager, agents.map(teams.manager)], ignore_index=True),
                     pd.concat([region, agents.map(teams.region).fillna("Unknown")], ignore_index=True))
    text = pd.Series("", index=customers.index, dtype=object)
    parent = (customers["parent"] if "parent" in customers else text).fillna("").str.strip()
    columns = {
        "id": ids, "name": customers.index.to_series(),
        "industry": customers.get("sector", text).fillna("").replace("", "Unknown"),
        "headquarters": customers.get("location", text).fillna(""),
        "parent": _or_none(slugs(parent)), "parent_name": _or_none(parent),
        "owner": owners.map({name: p.id for name, p in people.items()}),
        "executive_sponsor": manager.map({name: p.id for name, p in people.items()}),
        "region": region, "customer_since": customers["customer_since"].dt.date, "row": customers["row"].astype(int),
    }
    columns["executive_sponsor"] = _or_none(columns["executive_sponsor"])
    records = list(map(CrmAccount._make, zip(*(columns[f].tolist() for f in CrmAccount._fields))))
    kept = customers[["revenue", "pipeline", "open", "won", "lost", "win_rate"]].set_axis(
        pd.Index(ids.to_numpy(), name="account"))
    by_id = {p.id: p for p in people.values()}
    products = bought.assign(account=bought["account"].map(ids)).dropna(subset=["account"])
    products = products.sort_values(["account", "won", "product"], ascending=[True, False, True], kind="stable")
    return CrmExport(m.source or export.resolve().name, f"sha256:{hasher.hexdigest()[:16]}", as_of, m.currency, m,
                     tuple(records), kept, by_id, tuple(warnings), accounts_t,
                     products[["account", "product", "family", "won", "deals"]].reset_index(drop=True))


def _person_ids(people: dict[str, Person], opps_t: Table, agent: Coded, teams_t: Table | None) -> tuple[Diagnostic, ...]:
    """W511/W512 for the people whose id is not their name's plain slug, at the first row naming them."""
    found = []
    for person in people.values():
        changed = id_changed(person.name, person.id)
        if changed is not None:
            table, field, row = _first_naming(person.name, opps_t, agent, teams_t)
            found.append(diagnostic(table.label, table.at(field, row), changed[0], f"row {row + 1}: {changed[1]}"))
    return tuple(found)


def _first_naming(name: str, opps_t: Table, agent: Coded, teams_t: Table | None) -> tuple[Table, str, int]:
    """Where a person of the export is first named: as the agent of an opportunity, else as an
    agent or a manager in the sales teams file (the only other place people come from)."""
    code = agent.names.get_indexer([name])[0]
    if code >= 0:
        return opps_t, "agent", int(np.argmax(agent.codes == code))
    assert teams_t is not None, "a person on no opportunity comes from the sales teams file"
    for field in ("agent", "manager"):
        if field in teams_t.frame:
            named = (teams_t.frame[field].str.strip() == name).to_numpy(dtype=bool, na_value=False)
            if named.any():
                return teams_t, field, int(np.argmax(named))
    raise AssertionError(f"{name!r} is in neither the opportunities nor the sales teams file")


def _or_none(values: pd.Series) -> pd.Series:
    """Empty and missing values as None, the rest as they are (pandas' own NA is no YAML null)."""
    return values.astype(object).where(values.notna() & (values != ""), None)


def _people(owners: pd.Series, managers: pd.Series, region: pd.Series) -> dict[str, Person]:
    """Agents and their managers, by name, each with the role and region they are first seen
    with (owners first, as their accounts list them). A name that gives no id makes no person (its
    account was left out already for an owner; a manager is then no sponsor)."""
    people: dict[str, Person] = {}
    for kind, names in (("Sales agent", owners), ("Sales manager", managers)):
        seen = pd.DataFrame({"name": names, "region": region}).dropna(subset=["name"]).drop_duplicates("name")
        for name, office in zip(seen["name"].tolist(), seen["region"].tolist()):
            person_id = id_from_name(name)
            if person_id and name not in people:
                people[name] = Person(person_id, name, f"{kind}, {office}" if office != "Unknown" else kind)
    return people


def _report_normalised(table: Table, field: str, values: pd.Series, changed: dict[str, str],
                       warnings: list[Diagnostic]) -> None:
    if not changed:
        return
    stripped = values.str.strip()
    for before, after in sorted(changed.items()):
        rows = np.flatnonzero((stripped == before).to_numpy())
        warnings.append(diagnostic(table.label, table.at(field, int(rows[0])), "W503",
                                   f"{field} '{before}' read as '{after}' ({len(rows):,} account{'s' if len(rows) != 1 else ''})"))

