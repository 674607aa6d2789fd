"""`kam digest` output: Markdown for the dashboard issue and the job summary, text for a terminal,
JSON for tools.

Every text from the repository reaches the Markdown through `for_comment` (one inert line: no
mention, no link, no structure) and the terminal through `for_terminal`. The only mention is one
we write ourselves, `@login`, from team.yml's `github` field, whose pattern admits a login alone.
Links go to the published site when mkdocs.yml has a site_url: `link` turns what an item is about
into that URL (the site's page scheme lives with the site, above this stage).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..analysis.attention import Attention
from ..core.inert import for_comment, for_terminal
from ..core.refs import Ref
from .digest import COUNT_WORDS, Digest, PersonDigest, identity

MARKER = "<!-- kam-digest -->"  # the workflow finds its dashboard issue by this and by its author
Link = Callable[[Ref], str | None]

SECTIONS = (("newly_late", "Newly late"), ("newly_due", "Newly due"), ("new_risks", "New risks"),
            ("watch", "Tier watch (internal)"), ("closed", "Closed since"))


def _count_words(key: str, n: int) -> str:
    one, many = COUNT_WORDS[key]
    return f"{n:,} {one if n == 1 else many}"


def counts_line(person: PersonDigest) -> str:
    """"2 late actions (+1) · 1 review due (−1)": each kind today, with its change since."""
    parts = []
    for kind, now, before in person.counts:
        change = now - before
        parts.append(_count_words(kind, now) + (f" ({change:+d})".replace("-", "−") if change else ""))
    return " · ".join(parts) or "nothing needs attention"


def _when(item: Attention) -> str:
    if item.days_late:
        return f", {item.days_late} day{'' if item.days_late == 1 else 's'} late"
    return f", due {item.due.isoformat()}" if item.due and item.urgency != "risk" else ""


def _markdown_item(item: Attention, names: dict[str, str], link: Link | None) -> str:
    account = for_comment(names.get(item.account_id, item.account_id))
    url = link(item.about) if link else None
    where = f"[{account}]({url})" if url else account
    return f"- {where}: {for_comment(item.what)}{_when(item)}"


def _heading(person: PersonDigest) -> str:
    mention = f" (@{person.github})" if person.github else ""
    return f"### {for_comment(person.name)}{mention}"


def as_markdown(d: Digest, link: Link | None = None) -> str:
    base = f"the last commit on or before {d.since.isoformat()}" if d.base else \
        f"no commit on or before {d.since.isoformat()}: everything is new"
    lines = [MARKER, f"## Account attention, {d.today.isoformat()}", "",
             f"What is new since {d.since.isoformat()} (compared with {base}). For our people only: "
             "the tier watch is internal.", ""]
    if not d.people:
        lines.append("Nothing needs attention.")
    for person in d.people:
        lines += [_heading(person), "", counts_line(person), ""]
        for field, title in SECTIONS:
            items = getattr(person, field)
            if items:
                lines += [f"**{title}**", "", *(_markdown_item(i, d.account_names, link) for i in items), ""]
        if not person.changed:
            lines += ["Nothing new this week.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def as_text(d: Digest) -> str:
    lines = [f"Attention on {d.today.isoformat()}, new since {d.since.isoformat()}"
             + ("" if d.base else " (no earlier commit: everything is new)")]
    for person in d.people:
        lines += ["", for_terminal(f"{person.name} ({person.person})"), "  " + counts_line(person)]
        for field, title in SECTIONS:
            for item in getattr(person, field):
                name = d.account_names.get(item.account_id, item.account_id)
                lines.append(for_terminal(f"  {title.lower()}: {name}: {' '.join(item.what.split())}"
                                          f"{_when(item)}"))
    if not d.people:
        lines.append("Nothing needs attention.")
    return "\n".join(lines) + "\n"


def _item_json(item: Attention, link: Link | None) -> dict[str, object]:
    return {"kind": item.kind, "account": item.account_id, "owner": item.owner, "what": item.what,
            "due": item.due.isoformat() if item.due else None, "urgency": item.urgency, "days_late": item.days_late,
            "about": list(item.about), "url": link(item.about) if link else None, "identity": list(identity(item))}


def as_json(d: Digest, link: Link | None = None) -> str:
    people = [{"person": p.person, "name": p.name, "github": p.github, "open_items": p.open_items,
               "counts": {kind: {"now": now, "before": before} for kind, now, before in p.counts},
               **{field: [_item_json(i, link) for i in getattr(p, field)] for field, _ in SECTIONS}}
              for p in d.people]
    return json.dumps({"today": d.today.isoformat(), "since": d.since.isoformat(), "base": d.base,
                       "open_items": d.open_items, "people": people}, indent=2, ensure_ascii=False) + "\n"
