"""What a save reaches, for a preview without --focus (`kam serve`): which input files changed
since the last build, and which accounts' pages must be rendered again.

An account's pages read its own files, the people and the criteria; they name another account
only through a link to it (parent, subsidiaries, wikilinks in bodies), and such a link carries
the other account's id. So after an edit of some accounts' files, the pages to render again are
theirs, and those of any account whose pages name one of them or that their pages name (before
or after the edit: a parent that gains or loses a subsidiary). Everything else is reused as it
was. Any change outside an account's folder (criteria.yml, team.yml, templates, mkdocs.yml)
renders everything, and so does a new day or a new commit; the pages for the whole portfolio
(home, indexes, the team, analytics) are always rendered again. A person's page lists the
accounts that name the person, each with a link: it is rendered again when it named an edited
account, or the edited accounts' files name the person now.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..analysis.footprint import Footprint

# Everything the generated pages are made from, relative to the repository.
INPUTS = ("accounts", "criteria.yml", "team.yml", "site_templates", "mkdocs.yml")

Snapshot = dict[str, tuple[int, int]]  # repo-relative path -> (mtime in ns, size)


class Page(Protocol):
    """A rendered page as this module reads it (render.RenderedPage)."""

    @property
    def path(self) -> str: ...

    @property
    def markdown(self) -> str: ...

    @property
    def blocks(self) -> Sequence[Any]: ...


P = TypeVar("P", bound=Page)


@dataclass(frozen=True)
class Earlier:
    """The pages of the last build and the accounts whose files changed since: what `render` may reuse."""
    pages: tuple
    edited: frozenset[str]
    footprint: Footprint | None = None  # the last build's, to find the peers whose white space an edit moved


def snapshot(root: Path, inputs: Iterable[str] = INPUTS) -> Snapshot:
    """Every input file's modification time and size: taken before the files are read, so that
    a save during a build is seen by the next one."""
    found: Snapshot = {}
    for name in inputs:
        top = os.path.join(root, name)
        if os.path.isfile(top):
            stat = os.stat(top)
            found[name] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, _, files in os.walk(top):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    stat = os.stat(path)
                except OSError:  # removed while walking: the next snapshot sees it gone
                    continue
                found[os.path.relpath(path, root).replace(os.sep, "/")] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]]) -> frozenset[str]:
    """Files added, removed or modified between two snapshots."""
    return frozenset(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def edited_accounts(paths: Iterable[str]) -> frozenset[str] | None:
    """The accounts whose own files are among `paths`, or None when one of them reaches every
    page (anything outside an account's folder)."""
    ids = set()
    for path in paths:
        parts = path.split("/")
        if len(parts) < 3 or parts[0] != "accounts":
            return None
        ids.add(parts[1])
    return frozenset(ids)


def person_of(page_path: str) -> str | None:
    """The person a generated page is about (people/<id>.md), None for any other page."""
    parts = page_path.split("/")
    return parts[1].removesuffix(".md") if len(parts) == 2 and parts[0] == "people" and parts[1] != "index.md" else None


def account_of(page_path: str) -> str | None:
    """The account a generated page belongs to (accounts/<id>/...), None for the portfolio's pages."""
    parts = page_path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "accounts" else None


def by_account(pages: Iterable[P]) -> dict[str, list[P]]:
    grouped: dict[str, list[P]] = {}
    for page in pages:
        if (account := account_of(page.path)) is not None:
            grouped.setdefault(account, []).append(page)
    return grouped


def _names(page: Page, ids: Collection[str]) -> bool:
    # A link to another account's page carries its id; an id that is part of a longer one only
    # makes more pages render again, never fewer.
    return any(i in page.markdown or any(i in block.html for block in page.blocks) for i in ids)


_WORD = re.compile(r"[\w-]+")


def _named(pages: Iterable[Page], accounts: Collection[str]) -> set[str]:
    """The accounts that `pages` link to: each link carries the id as a word of its own (../<id>/)."""
    words: set[str] = set()
    for page in pages:
        words.update(_WORD.findall(page.markdown))
        for block in page.blocks:
            words.update(_WORD.findall(block.html))
    return words & set(accounts)


def naming(earlier: Mapping[str, Sequence[Page]], ids: Collection[str]) -> set[str]:
    """The keys of `earlier` whose pages name one of `ids`."""
    return {key for key, pages in earlier.items() if any(_names(p, ids) for p in pages)}


def named_in_files(root: Path, accounts: Iterable[str], names: Collection[str]) -> set[str]:
    """Which of `names` the files of these accounts' folders name, as they are now (a person's id
    as an owner, a sponsor, an attendee, a [[@wikilink]])."""
    words: set[str] = set()
    for account in accounts:
        for folder, _, files in os.walk(os.path.join(root, "accounts", account)):
            for file in files:
                try:
                    with open(os.path.join(folder, file), encoding="utf-8", errors="replace") as text:
                        words.update(_WORD.findall(text.read()))
                except OSError:  # removed meanwhile: the next save renders again
                    continue
    return words & set(names)


def people_affected(earlier: Mapping[str, Sequence[Page]], edited: frozenset[str], fresh: Iterable[Page],
                    root: Path, people: Collection[str]) -> frozenset[str]:
    """The people whose pages must be rendered again: a person's page lists accounts, each
    with a link to it, so those whose page named an edited account (`earlier`, by person), and
    those that the edited accounts' files or new pages (`fresh`) name now."""
    return frozenset(naming(earlier, edited) | named_in_files(root, edited, people) | _named(fresh, people))


def affected(earlier: Mapping[str, Sequence[Page]], edited: frozenset[str], fresh: Mapping[str, Sequence[Page]],
             accounts: Collection[str]) -> frozenset[str]:
    """The accounts whose pages must be rendered again after an edit of `edited`'s files:
    `earlier` holds the last build's pages by account, `fresh` the edited accounts' pages
    rendered from the files as they are now, `accounts` every account now on the site."""
    found = set(edited)
    found |= naming(earlier, edited)  # their pages named an edited account (its name may have changed)
    for account in edited:  # and the accounts its pages name, before or after the edit
        found |= _named([*earlier.get(account, ()), *fresh.get(account, ())], accounts)
    return frozenset(found)


def white_space_moved(before: Footprint | None, now: Footprint | None, accounts: Iterable[str]) -> set[str]:
    """The accounts whose white space differs between two builds (all of them when either is unknown)."""
    if before is None or now is None:
        return set(accounts)
    return {a for a in accounts if before.by_account.get(a) != now.by_account.get(a)}
