"""Words for messages: the did-you-mean hint every stage's diagnostics share."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

_LOOKALIKES = str.maketrans("ol", "01")


def suggest(word: Any, options: Iterable[object]) -> str:
    """A did-you-mean hint: the closest option, ignoring case (QBR -> qbr)."""
    if not isinstance(word, str):
        return ""
    by_folded = {str(o).casefold(): str(o) for o in options}
    # A letter typed for the digit it looks like (W3O1 for W301) is that option, whatever else is as close.
    by_lookalike = {folded.translate(_LOOKALIKES): option for folded, option in by_folded.items()}
    if word.casefold().translate(_LOOKALIKES) in by_lookalike:
        return f"; did you mean '{by_lookalike[word.casefold().translate(_LOOKALIKES)]}'?"
    match = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean '{by_folded[match[0]]}'?" if match else ""
