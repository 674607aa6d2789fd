"""`kam new account <id>`: a complete, valid account folder to fill in."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import typing
from pathlib import Path

from .load import ID_RE
from .model import CriteriaConfig, GoalStatus, Horizon, Influence, Role, Sentiment
from .prompts import PROMPTS, prompt


class ScaffoldError(Exception):
    pass


def new_account(root: Path, account_id: str, name: str, owner: str, criteria: CriteriaConfig | None,
                today: dt.date) -> list[Path]:
    if not ID_RE.fullmatch(account_id):
        raise ScaffoldError(f"'{account_id}' is not a kebab-case id (like 'northwind-logistics')")
    folder = root / "accounts" / account_id
    if folder.exists() or folder.is_symlink():  # a dangling link "does not exist" but is in the way
        what = "a symbolic link" if folder.is_symlink() else "a folder" if folder.is_dir() else "a file"
        raise ScaffoldError(f"accounts/{account_id} already exists ({what}); nothing was written")
    sections = list(criteria.plan.required_sections) if criteria else list(PROMPTS)[:4]
    if criteria:
        sections += [s for t in criteria.tiers for s in t.required_sections if s not in sections]
    lowest = criteria.scale.min if criteria else 1
    scores = "\n".join(
        f"  {c.id}: {{score: {lowest}, why: \"Not scored yet: replace with the score and the reason for it.\"}}"
        for c in (criteria.criteria if criteria else ()))
    files = {
        "account.yml": f"""# yaml-language-server: $schema=../../schemas/account.schema.json
name: {_yaml_text(name)}
industry: Unknown
region: Unknown
headquarters: ""
parent: null
customer_since: {today.isoformat()}
owner: {owner}
executive_sponsor: null
team: []
financials: {{currency: USD, annual_revenue: 0, revenue_potential: 0}}
scores:
{scores}
tags: []
""",
        "stakeholders.yml": _STAKEHOLDERS.format(owner=owner, today=today.isoformat()),
        "goals.yml": _GOALS.format(owner=owner, due=(today + dt.timedelta(days=365)).isoformat()),
        "strategy.md": f"---\nupdated: {today.isoformat()}\n---\n\n# {name}: account plan\n\n" + "\n".join(
            f"## {s}\n\n{prompt(s)}\n" for s in sections),
        "reviews/.gitkeep": "",
    }
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
        raise ScaffoldError(f"cannot write accounts/{account_id}: {exc.strerror or exc}; nothing was written") from None
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


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
