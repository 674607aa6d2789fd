"""What a wiki-link in a Markdown body names: `[[@person]]`, `[[account]]`, `[[account#stakeholder]]`.

Resolution is a rule on ids alone, so validation reports an unresolved link at its line and the
linking stage turns a resolved one into a relation, from the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Ref = tuple[str, ...]  # ("person", id), ("account", id) or ("stakeholder", account id, stakeholder id)


@dataclass(frozen=True)
class Unresolved:
    """Why a wiki-link names nothing: what kind of thing, the name, and the names there are."""
    what: str  # "team member", "account" or "stakeholder"
    name: str
    known: frozenset[str]
    account: str = ""  # the account searched, for a stakeholder


def resolve_wikilink(target: str, team_ids: frozenset[str] | None, account_ids: frozenset[str],
                     stakeholder_ids: Mapping[str, frozenset[str] | None]) -> Ref | Unresolved:
    """The entity `[[target]]` names, or why it names none: `[[@person]]`, `[[account]]` or
    `[[account#stakeholder]]`. A set that is None could not be read; nothing is judged against it."""
    if target.startswith("@"):
        person = target[1:]
        if team_ids is not None and person not in team_ids:
            return Unresolved("team member", person, team_ids)
        return ("person", person)
    account_id, _, anchor = target.partition("#")
    if account_id not in account_ids:
        return Unresolved("account", account_id, account_ids)
    if not anchor:
        return ("account", account_id)
    known = stakeholder_ids.get(account_id)
    if known is not None and anchor not in known:
        return Unresolved("stakeholder", anchor, known, account_id)
    return ("stakeholder", account_id, anchor)
