"""One error model: everything a user can cause is a `KamError` carrying its exit code.

The library raises them; a front end prints them once (the command line: `kam <command>: message`
on stderr, never a traceback) and exits with the code. Subclasses keep their names where the name
says something (`WriteProblem`, `CrmProblem`...). The exit-code table lives here and nowhere else,
so that the documentation can be generated from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from types import MappingProxyType

from .diagnostics import Diagnostic, has_errors, stops_strict


class ExitCode(IntEnum):
    OK = 0
    ERRORS = 1
    USAGE = 2
    STRICT = 3
    ENVIRONMENT = 4


# Each code means one thing. 2 is click's own for a usage error (an unknown option, a bad value), which
# cannot sensibly be moved: so the warnings that stop --strict are 3, not 2 as before.
EXIT_CODES: Mapping[ExitCode, str] = MappingProxyType({
    ExitCode.OK: "Done. Warnings may have been printed; none stopped the command.",
    ExitCode.ERRORS: "The files have errors: the repository's (account files, criteria.yml, team.yml, site "
                     "templates, mkdocs.yml, the playbook) or an input's (a CRM export, its mapping), each printed "
                     "as `path:line:col: error[CODE] message`. Nothing was built or written; fix the files.",
    ExitCode.USAGE: "The command cannot be carried out as typed: an unknown option or a bad value (click's usage "
                    "errors), no repository at --root, an account or revision that does not exist, a folder that "
                    "would be overwritten without --force. Nothing was written.",
    ExitCode.STRICT: "Warnings only, and --strict stops on them (except those the calendar brings: W301, W307, "
                     "W308; criteria.yml's notices never stop it). Nothing was built.",
    ExitCode.ENVIRONMENT: "The system failed, not the files: git could not be run or read (a shallow clone "
                          "lacking the history asked for included), a file could not be written, the "
                          "installation is incomplete. Nothing was changed.",
})


def exit_code(diagnostics: Iterable[Diagnostic], strict: bool = False) -> ExitCode:
    """What a run that found `diagnostics` ends with: errors, else warnings that stop `strict`, else done."""
    diagnostics = list(diagnostics)
    if has_errors(diagnostics):
        return ExitCode.ERRORS
    if strict and any(stops_strict(d) for d in diagnostics):
        return ExitCode.STRICT
    return ExitCode.OK


class KamError(Exception):
    """A problem a user can cause (or fix), said in one line, with the exit code it ends a command with.

    `diagnostics` are located problems to print before the message; `details` are lines to print
    under it (the files in the way, say); `option` names the command-line option that was wrong."""

    exit_code: ExitCode = ExitCode.ERRORS

    def __init__(self, message: str, *, exit_code: ExitCode | None = None, diagnostics: Iterable[Diagnostic] = (),
                 details: Iterable[str] = (), option: str | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
        self.message = message
        self.diagnostics = tuple(diagnostics)
        self.details = tuple(details)
        self.option = option

    def __str__(self) -> str:
        return self.message


def exit_code_table() -> str:
    """The table as Markdown, for the documentation."""
    rows = [f"| {code.value} | `{code.name}` | {meaning} |" for code, meaning in EXIT_CODES.items()]
    return "\n".join(["| Exit | Name | Meaning |", "|---|---|---|", *rows]) + "\n"
