"""`kam history` output: a readable table, CSV and JSON of the same points."""

from __future__ import annotations

import datetime as dt
import json

from .timeline import History, Point

COLUMNS = ("account", "date", "commit", "author", "subject", "cause", "score", "tier", "health", "changes",
           "renamed_from", "removed", "added", "score_before", "tier_before")


def select(found: History, accounts: tuple[str, ...], since: dt.date | None) -> list[Point]:
    """The points of `accounts` (every account when empty), from `since` on, oldest first."""
    if accounts:
        order = {id(p): n for n, p in enumerate(found.points)}
        chosen = sorted((p for account in dict.fromkeys(accounts) for p in found.of(account)),
                        key=lambda p: order[id(p)])
    else:
        chosen = list(found.points)
    return [p for p in chosen if since is None or p.date.date() >= since]


def as_json(found: History, points: list[Point]) -> str:
    first = found.first_commit
    document = {
        "shallow": found.shallow,
        "first_commit": None if first is None else {"commit": first.sha, "date": first.date.isoformat()},
        "points": [p.as_dict() for p in points],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_csv(points: list[Point]) -> str:
    """The points as CSV; authors and subjects are anyone's text, so cells that a spreadsheet
    would run as formulas are neutralised (csvfile)."""
    import pandas as pd

    from ..core.csvfile import to_csv

    rows = [{**p.as_dict(), "changes": "; ".join(p.changes)} for p in points]
    return to_csv(pd.DataFrame(rows, columns=list(COLUMNS)), index=False, lineterminator="\n")


def print_table(points: list[Point], console) -> None:
    """One table per account, its points oldest first; the words column takes what width is left."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..core.inert import for_terminal

    by_account: dict[str, list[Point]] = {}
    for point in points:
        by_account.setdefault(point.account, []).append(point)
    for account, rows in by_account.items():
        # Text, never markup: commit subjects and names are shown as written, escape sequences made visible.
        table = Table(title=Text(for_terminal(account)), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("date", no_wrap=True, min_width=10)
        table.add_column("commit", no_wrap=True, min_width=8)
        table.add_column("cause", no_wrap=True, min_width=8)
        table.add_column("score", justify="right", no_wrap=True, min_width=5)
        table.add_column("tier", no_wrap=True)
        table.add_column("health", justify="right", no_wrap=True, min_width=6)
        table.add_column("what changed", min_width=16, overflow="fold")
        for p in rows:
            cells = (p.date.date().isoformat(), p.commit[:8], p.cause, "-" if p.score is None else f"{p.score:.2f}",
                     p.tier_name or "-", "-" if p.health is None else str(p.health),
                     "; ".join(p.changes) or f"({p.subject})")
            table.add_row(*(Text(for_terminal(cell)) for cell in cells))
        console.print(table)


def cut_note(found: History) -> str | None:
    """What a shallow clone's history leaves out, and how to fetch it."""
    if not found.shallow or found.first_commit is None:
        return None
    first = found.first_commit
    return (f"history is cut at this clone's depth: it starts at {first.sha[:12]} ({first.date.date()}), "
            "not at the repository's first commit; fetch the rest with `git fetch --unshallow` "
            "(in GitHub Actions: actions/checkout with fetch-depth: 0)")
