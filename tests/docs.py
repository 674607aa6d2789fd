"""The documentation that is generated: the command-line reference, from the commands' own `--help`.

`python -m tests.docs` (`make docs`) writes it; tests/test_docs.py fails while the committed page
differs from what this writes now, so an option changed without regenerating fails CI.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

from account_playbooks.cli.commands import main
from account_playbooks.core.errors import exit_code_table

PROJECT = Path(__file__).resolve().parent.parent
CLI_REFERENCE = PROJECT / "playbook" / "guide" / "command-line.md"
# Fixed, so that the page does not depend on the terminal of whoever regenerates it.
HELP_WIDTH = 88

INTRO = """\
# The command line

This page is generated from the commands' own `--help` by `make docs` (`python -m tests.docs`);
a test fails when it is out of date, so edit the help text in `generator/cli/commands.py`, not
this page. The same text is one `kam COMMAND --help` away in a terminal.

What the commands are for, in order of use: [the guide](index.md); the checks `kam validate`
runs: [diagnostics](../../reference/diagnostics.md); the files it reads:
[file formats](../../reference/file-formats.md).
"""


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand, in the order the source declares them (as a reader meets them)."""
    for name, command in group.commands.items():
        if command.hidden:
            continue
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="kam", terminal_width=HELP_WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"kam {' '.join(path)} --help exited {result.exit_code}: {result.output}")
    return result.output.rstrip()


def _section(path: tuple[str, ...]) -> str:
    title = " ".join(("kam", *path))
    return f"## {title}\n\n```text\n{help_text(path)}\n```\n"


def _exit_codes() -> str:
    return ("## Exit codes\n\nEvery command ends with one of these (from `generator/core/errors.py`, the one table "
            "the commands use):\n\n" + exit_code_table())


def cli_reference() -> str:
    return "\n".join([INTRO, _exit_codes(), _section(()), *(_section(path) for path in commands())])


def write() -> Path:
    CLI_REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    CLI_REFERENCE.write_text(cli_reference(), encoding="utf-8")
    return CLI_REFERENCE


if __name__ == "__main__":  # python -m tests.docs  (make docs)
    print(f"wrote {write().relative_to(PROJECT)}", file=sys.stderr)
