"""The prompts a new account's plan starts with, and how to tell one that was left in place.

The scaffold writes them, the W309 rule and plan health recognise them: keeping the texts and
the way they are marked in one module means the three cannot drift apart.
"""

from __future__ import annotations

import re

PROMPTS = {
    "Relationships": "Who decides, who influences, who champions us, and how we reach each of them. "
                     "See stakeholders.yml for the map.",
    "Customer's Business": "Their goals, financial health, current initiatives, and a short SWOT.",
    "Account Goals": "Our short-, mid- and long-term goals for this account, each with an owner (goals.yml).",
    "Account Strategy": "The actions that reach those goals, by horizon, and who takes them.",
    "Executive Sponsor Plan": "How our executive sponsor engages their counterpart, and how often.",
}
GENERIC_PROMPT = "Write this section."

# A quoted line, so that a prompt left in place still reads as an instruction on the site
# (an HTML comment would be shown escaped, as text).
_MARKED = re.compile(r"^ {0,3}>\s*\**\s*prompt\b", re.IGNORECASE)
# Plans scaffolded before prompts were marked hold the bare text as a paragraph.
_BARE = frozenset(" ".join(text.split()).casefold() for text in (*PROMPTS.values(), GENERIC_PROMPT))


def prompt(section: str) -> str:
    """The prompt line the scaffold writes under a section's heading."""
    return f"> Prompt (replace this line): {PROMPTS.get(section, GENERIC_PROMPT)}"


def is_prompt(line: str) -> bool:
    return bool(_MARKED.match(line)) or " ".join(line.split()).casefold() in _BARE


def is_written(body: str) -> bool:
    """Whether a section's body says something beyond the scaffold's prompt."""
    return any(line.strip() and not is_prompt(line) for line in body.split("\n"))
