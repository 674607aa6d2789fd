"""What `kam import crm` tells the person running it, on stderr: the export's problems as a
table, then what was written. The JSON report is importer.report."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ..core.codes import CODES
from ..core.diagnostics import Diagnostic
from ..core.inert import for_terminal
from .importer import ImportPlan
from .reader import CrmExport


def print_problems(problems: tuple[Diagnostic, ...], console) -> None:
    if not problems:
        return
    table = Table(title="Problems in the export", title_justify="left", header_style="bold", show_lines=False)
    table.add_column("code", no_wrap=True)
    table.add_column("problem")
    table.add_column("first at", overflow="fold")
    for d in problems:  # Text, never markup: a customer called "[/]" or "[closed]" is shown as written
        table.add_row(Text(f"{d.severity.value}[{d.code}]"), Text(for_terminal(f"{CODES[d.code].title}: {d.message}")),
                      Text(for_terminal(f"{d.path}:{d.line}:{d.column}")))
    console.print(table)


def _ids(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def print_summary(export: CrmExport, plan: ImportPlan, console) -> None:
    lines = [f"kam import crm: {len(export.accounts)} customer account(s) in {export.source} as of {export.as_of}"]
    if plan.created:
        lines.append(f"  created {len(plan.created)} as candidates (accounts/<id>/): {_ids(plan.created)}")
    if plan.updated:
        lines.append(f"  refreshed the imported figures of {len(plan.updated)}: {_ids(plan.updated)}")
    if plan.unchanged:
        lines.append(f"  {len(plan.unchanged)} already held these figures: left as they are")
    if plan.kept:
        lines.append(f"  {len(plan.kept)} exist already and were left as they are (--update refreshes their "
                     f"figures): {_ids(plan.kept)}")
    if plan.team_added:
        lines.append(f"  added {len(plan.team_added)} people to team.yml: {_ids(plan.team_added)}")
    if not plan.files:
        lines.append("  nothing to write: the repository already says what the export says")
    if plan.created:
        lines.append("Next: read the proposed scores, accept them with `kam import accept ACCOUNT...` (or write your "
                     "own), then `kam validate` and `kam build`.")
    for line in lines:
        console.print(for_terminal(line), highlight=False, markup=False, emoji=False)
