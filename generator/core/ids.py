"""Ids and slugs: the one home of the rule that turns a name into an id or an anchor, and of the
limits every id obeys because it may become a folder or file name on any team member's machine.

It imports nothing from the package, so every stage (loading, the model, the CRM import, the
site's pages) can use it.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

# An id is a folder name (accounts/<id>/) or part of a file name (people/<id>.md), and the site
# nests it further: C:\Users\<name>\src\<repository>\site\accounts\<id>\stakeholders\index.html.
# Windows without long-path support stops at 260 characters for the whole path, and most file
# systems at 255 bytes for one name; 64 leaves some 150 characters for the rest of the path
# while still holding any real company name's slug ("bayerische-motoren-werke-aktiengesellschaft" is 43).
MAX_ID_LENGTH = 64

# Device names Windows keeps for itself: a folder called `con` (or `CON.txt`, any case) cannot
# be created or checked out there, so a repository holding one breaks every Windows clone.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                              *(f"lpt{n}" for n in range(1, 10))})

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HASH_LENGTH = 8


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, other scripts transliterated rather than dropped:
    "Gekko & Co" -> gekko-co, "Ωmega" -> omega, "北京公司" -> beijinggongsi; "" when nothing is left."""
    if not text.isascii():
        text = anyascii(text)
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def is_reserved(name: str) -> bool:
    """Whether Windows refuses `name` as a file or folder name: a device name, in any case, with
    or without an extension (the part before the first dot counts, trailing spaces dropped)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


# The reasons, as the diagnostics give them (E113, E114).
RESERVED_WHY = "Windows reserves the name for a device, so no folder or file there can have it"
LENGTH_WHY = f"ids have at most {MAX_ID_LENGTH} characters, to keep paths within what Windows allows"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_LENGTH]


def id_from_name(name: str) -> str:
    """The id a name gets when a tool makes one (the CRM import): its slug, made fit for a file
    name. A slug over MAX_ID_LENGTH is cut at a hyphen and ends in a short hash of the whole
    slug, so that two long names sharing their first 55 characters still get two ids, and the
    same name always the same id; a reserved name gets the hash too ("con" -> "con-<hash>")."""
    made = slug(name)
    if len(made) > MAX_ID_LENGTH:
        head = made[: MAX_ID_LENGTH - _HASH_LENGTH - 1]
        head = head.rsplit("-", 1)[0] if "-" in head[1:] else head
        return f"{head.strip('-')}-{_digest(made)}"
    if made and is_reserved(made):
        return f"{made}-{_digest(made)}"
    return made
