"""`kam new account <id>`: a complete, valid account folder to fill in."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ExitCode, KamError
from ..core.ids import LENGTH_WHY, MAX_ID_LENGTH, RESERVED_WHY, is_reserved
from ..core.model import ID_RE, CriteriaConfig, GoalStatus, Horizon, Influence, Role, Sentiment
from ..core.prompts import PROMPTS, prompt


class ScaffoldError(KamError):
    """An account that cannot be made as asked (its id, or a folder in the way); nothing was written."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Proposal:
    score: float
    why: str


@dataclass(frozen=True)
class Draft:
    """What a new account.yml says. `kam new account` fills the name and owner and leaves the rest
    for a person; `kam import crm` fills everything it read, with proposed scores and its record."""
    name: str
    owner: str
    customer_since: dt.date
    industry: str = "Unknown"
    region: str = "Unknown"
    headquarters: str = ""
    parent: str | None = None
    executive_sponsor: str | None = None
    currency: str = "USD"
    annual_revenue: float = 0
    revenue_potential: float = 0
    # With proposals the account is a candidate (`scores: {}`); without, every criterion starts
    # at the lowest score, so a new account is standard until someone rescores it.
    proposals: Mapping[str, Proposal] | None = None
    crm: Mapping[str, str] | None = None  # the import's record, already as YAML scalars
    products: tuple[Mapping[str, object], ...] = ()  # the record's products (model.ProductBought's fields)


def account_files(draft: Draft, criteria: CriteriaConfig | None, today: dt.date) -> dict[str, str]:
    """Every file of a valid new account (relative to its folder): account.yml from `draft`,
    empty stakeholder and goal lists with a commented example, the plan's required sections as
    headings with prompts, and an empty reviews/ folder."""
    sections = list(criteria.plan.required_sections) if criteria else list(PROMPTS)[:4]
    if criteria:
        sections += [s for t in criteria.tiers for s in t.required_sections if s not in sections]
    return {
        "account.yml": _account_yml(draft, criteria),
        "stakeholders.yml": _STAKEHOLDERS.format(owner=draft.owner, today=today.isoformat()),
        "goals.yml": _GOALS.format(owner=draft.owner, due=(today + dt.timedelta(days=365)).isoformat()),
        "strategy.md": f"---\nupdated: {today.isoformat()}\n---\n\n# {draft.name}: account plan\n\n" + "\n".join(
            f"## {s}\n\n{prompt(s)}\n" for s in sections),
        "reviews/.gitkeep": "",
    }


def _account_yml(draft: Draft, criteria: CriteriaConfig | None) -> str:
    if draft.proposals is None:
        lowest = criteria.scale.min if criteria else 1
        scores = "scores:\n" + "".join(
            f"  {c.id}: {{score: {lowest}, why: \"Not scored yet: replace with the score and the reason for it.\"}}\n"
            for c in (criteria.criteria if criteria else ()))
        proposals = ""
    else:
        scores = ("# Scores are a person's decision: the proposed_scores below, from the CRM, count only once\n"
                  "# someone accepts them (`kam import accept ID`) or writes their own scores here.\n"
                  "scores: {}\n")
        proposals = proposed_scores_yaml(draft.proposals)
    crm = "" if draft.crm is None else crm_yaml(draft.crm, draft.products)
    return f"""# yaml-language-server: $schema=../../schemas/account.schema.json
name: {yaml_text(draft.name)}
industry: {yaml_text(draft.industry)}
region: {yaml_text(draft.region)}
headquarters: {yaml_text(draft.headquarters)}
parent: {draft.parent or "null"}
customer_since: {draft.customer_since.isoformat()}
owner: {draft.owner}
executive_sponsor: {draft.executive_sponsor or "null"}
team: []
financials: {{currency: {draft.currency}, annual_revenue: {yaml_number(draft.annual_revenue)}, revenue_potential: {yaml_number(draft.revenue_potential)}}}
{scores}tags: []
{proposals}{crm}"""


IMPORT_NOTE = "# Written by `kam import crm`; `--update` refreshes them, so edit scores above, not these."


def proposed_scores_yaml(proposals: Mapping[str, Proposal]) -> str:
    lines = [IMPORT_NOTE, "proposed_scores:"]
    lines += [f"  {cid}: {{score: {yaml_number(p.score)}, why: {yaml_quoted(p.why)}}}" for cid, p in proposals.items()]
    return "\n".join(lines) + "\n"


def crm_yaml(record: Mapping[str, str], products: tuple[Mapping[str, object], ...]) -> str:
    """The import's record: on one line, or in block style with one line per product bought."""
    if not products:
        return "crm: {" + ", ".join(f"{k}: {v}" for k, v in record.items()) + "}\n"
    lines = ["crm:", *(f"  {k}: {v}" for k, v in record.items()), "  products:"]
    lines += ["    - {" + ", ".join(f"{k}: {_scalar(v)}" for k, v in product.items()) + "}" for product in products]
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return yaml_quoted(value)
    assert isinstance(value, (int, float)), f"a product's fields are text or figures, not {value!r}"
    return yaml_number(value)


def new_account(root: Path, account_id: str, name: str, owner: str, criteria: CriteriaConfig | None,
                today: dt.date) -> list[Path]:
    shown = account_id if len(account_id) <= 40 else f"{account_id[:40]}…"
    if len(account_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"'{shown}' is {len(account_id):,} characters long; {LENGTH_WHY}; nothing was written")
    if not ID_RE.fullmatch(account_id):
        raise ScaffoldError(f"'{account_id}' is not a kebab-case id (like 'northwind-logistics')")
    if is_reserved(account_id):
        raise ScaffoldError(f"'{account_id}' cannot be an account id: {RESERVED_WHY}; add a word to it "
                            f"(like '{account_id}-group'); nothing was written")
    folder = root / "accounts" / account_id
    if folder.exists() or folder.is_symlink():  # a dangling link "does not exist" but is in the way
        what = "a symbolic link" if folder.is_symlink() else "a folder" if folder.is_dir() else "a file"
        raise ScaffoldError(f"accounts/{account_id} already exists ({what}); nothing was written")
    files = account_files(Draft(name, owner, today), criteria, today)
    # Written beside the target and renamed into place: all of the account or none of it.
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".new-{account_id}-") as staging:
            for relative, text in files.items():
                path = Path(staging) / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            os.rename(staging, folder)  # fails, rather than overwrites, if the target appeared
            Path(staging).mkdir()  # for TemporaryDirectory's cleanup, which expects it
    except OSError as exc:
        raise ScaffoldError(f"cannot write accounts/{account_id}: {exc.strerror or exc}; nothing was written",
                            exit_code=ExitCode.ENVIRONMENT) from None
    return [folder / relative for relative in files]


def _options(literal) -> str:
    return " | ".join(typing.get_args(literal))


# No `[]`: a file of comments is an empty list, so the first entry is added below them and
# the commented example can be copied as it is.
_STAKEHOLDERS = f"""# yaml-language-server: $schema=../../schemas/stakeholders.schema.json
# The customer's people: one entry per stakeholder (see reference/file-formats).
# Add entries below; to start from this example, copy it without the leading '# '.
#
# - id: maria-gomez
#   name: Maria Gómez
#   title: VP Supply Chain
#   role: decision_maker          # {_options(Role)}
#   influence: high               # {_options(Influence)}
#   sentiment: supporter          # {_options(Sentiment)}
#   reports_to: null              # the id of another stakeholder in this file
#   relationship_owner: {{owner}}
#   last_contact: {{today}}
#   notes: Prefers data-driven proposals.
"""

_GOALS = f"""# yaml-language-server: $schema=../../schemas/goals.schema.json
# Our goals for the account: short, mid and long term, each with an owner and a due date.
# Add entries below; to start from this example, copy it without the leading '# '.
#
# - id: first-rollout
#   title: Roll out to the first three sites
#   horizon: short                # {_options(Horizon)}
#   owner: {{owner}}
#   due: {{due}}
#   status: planned               # {_options(GoalStatus)}
#   measure: {{{{metric: Sites live, current: 0, target: 3}}}}
"""


# Line breaks YAML reads inside a double-quoted scalar, which JSON leaves as they are.
_YAML_BREAKS = str.maketrans({"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"})


# Text YAML reads back as the same text when written bare: a letter first, then letters, digits
# and a few marks, never ": " or " #"; YAML 1.1's words for booleans and null are quoted.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()'&/+-]*[A-Za-z0-9.)]|[A-Za-z]")
_YAML_WORDS = frozenset("y n yes no on off true false null".split())


def yaml_text(text: str) -> str:
    """Any text as a YAML scalar that reads back as exactly that text: bare when that is safe,
    else double-quoted (a JSON string is one, once YAML's extra line breaks are escaped too)."""
    if _PLAIN.fullmatch(text) and text.casefold() not in _YAML_WORDS and ": " not in text and " #" not in text:
        return text
    return yaml_quoted(text)


def yaml_quoted(text: str) -> str:
    """Text as a double-quoted scalar: what a value inside `{...}` needs, where a comma ends it."""
    return json.dumps(text, ensure_ascii=False).translate(_YAML_BREAKS)


def yaml_number(value: float) -> str:
    """A figure as people write it: 1200000, not 1200000.0; 2.5 stays 2.5."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
