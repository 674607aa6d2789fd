"""`kam new account <id>`: a complete, valid account folder to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .load import ID_RE
from .model import CriteriaConfig

PROMPTS = {
    "Relationships": "Who decides, who influences, who champions us, and how we reach each of them. "
                     "See stakeholders.yml for the map.",
    "Customer's Business": "Their goals, financial health, current initiatives, and a short SWOT.",
    "Account Goals": "Our short-, mid- and long-term goals for this account, each with an owner (goals.yml).",
    "Account Strategy": "The actions that reach those goals, by horizon, and who takes them.",
    "Executive Sponsor Plan": "How our executive sponsor engages their counterpart, and how often.",
}


class ScaffoldError(Exception):
    pass


def new_account(root: Path, account_id: str, name: str, owner: str, criteria: CriteriaConfig | None,
                today: dt.date) -> list[Path]:
    if not ID_RE.match(account_id):
        raise ScaffoldError(f"'{account_id}' is not a kebab-case id (like 'northwind-logistics')")
    folder = root / "accounts" / account_id
    if folder.exists():
        raise ScaffoldError(f"accounts/{account_id} already exists; nothing was written")
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
        "stakeholders.yml": "# yaml-language-server: $schema=../../schemas/stakeholders.schema.json\n"
                            "# The customer's people: add one entry per stakeholder (see reference/file-formats).\n[]\n",
        "goals.yml": "# yaml-language-server: $schema=../../schemas/goals.schema.json\n"
                     "# Our goals for the account: short, mid and long term, each with an owner and a due date.\n[]\n",
        "strategy.md": f"---\nupdated: {today.isoformat()}\n---\n\n# {name}: account plan\n\n" + "\n".join(
            f"## {s}\n\n{PROMPTS.get(s, 'Write this section.')}\n" for s in sections),
        "reviews/.gitkeep": "",
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
        written.append(path)
    return written


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
