"""One error model: every problem a user can cause is a KamError with its exit code, and one exit-code table."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

from account_playbooks.core.codes import Severity
from account_playbooks.core.diagnostics import Diagnostic
from account_playbooks.core.errors import EXIT_CODES, ExitCode, KamError, exit_code, exit_code_table

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}


def test_every_exception_class_of_the_package_is_a_kam_error():
    """Found from the source: a class deriving from a built-in exception only, not from KamError, is
    a second error model (the CLI would print it as a traceback). A private one is control flow
    inside its module (yamldoc's _Abort), caught there. UndeclaredCode is no user's error but ours
    (a rule reporting a code it did not declare): a warning in production, a failure in the tests."""
    ours = {"generator/validate/declare.py: UndeclaredCode"}
    loose = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases and bases <= BUILTIN_EXCEPTIONS and node.name != "KamError" \
                        and not node.name.startswith("_"):
                    loose.append(f"{path.relative_to(PACKAGE.parent)}: {node.name}")
    assert [c for c in loose if c not in ours] == []


def test_the_problem_classes_keep_their_names_and_carry_their_exit_codes():
    from account_playbooks.analysis.ranking import OptionProblem
    from account_playbooks.core.writes import WriteProblem
    from account_playbooks.crm.importer import AcceptProblem
    from account_playbooks.crm.reader import CrmProblem
    from account_playbooks.history.gitlog import HistoryProblem
    from account_playbooks.history.gitsource import RevisionProblem
    from account_playbooks.scaffold.account import ScaffoldError
    from account_playbooks.scaffold.repository import ExistingFiles, InitProblem
    from account_playbooks.site.export import ExportProblem
    from account_playbooks.site.playbookpage import MacroFailure
    from account_playbooks.site.render import TemplateProblem

    expected = {OptionProblem: ExitCode.USAGE, WriteProblem: ExitCode.ENVIRONMENT, AcceptProblem: ExitCode.USAGE,
                CrmProblem: ExitCode.ERRORS, HistoryProblem: ExitCode.ENVIRONMENT, RevisionProblem: ExitCode.USAGE,
                ScaffoldError: ExitCode.USAGE, InitProblem: ExitCode.USAGE, ExistingFiles: ExitCode.USAGE,
                ExportProblem: ExitCode.USAGE, MacroFailure: ExitCode.ERRORS, TemplateProblem: ExitCode.ERRORS}
    assert {cls: cls.exit_code for cls in expected} == expected
    assert all(issubclass(cls, KamError) for cls in expected)
    shallow = RevisionProblem("not in this shallow clone", exit_code=ExitCode.ENVIRONMENT)
    assert shallow.exit_code is ExitCode.ENVIRONMENT and RevisionProblem.exit_code is ExitCode.USAGE  # per instance


def test_the_exit_code_table_is_complete_and_renders_for_the_docs():
    assert list(EXIT_CODES) == list(ExitCode) == [0, 1, 2, 3, 4]
    assert all(len(meaning) > 20 for meaning in EXIT_CODES.values())
    table = exit_code_table().splitlines()
    assert table[0] == "| Exit | Name | Meaning |"
    assert [row.split(" | ")[0] for row in table[2:]] == ["| 0", "| 1", "| 2", "| 3", "| 4"]
    assert "click" in EXIT_CODES[ExitCode.USAGE] and "--strict" in EXIT_CODES[ExitCode.STRICT]


def test_what_a_run_ends_with():
    error = Diagnostic("a.yml", 1, 1, "E104", "bad", Severity.ERROR)
    warning = Diagnostic("a.yml", 1, 1, "W305", "no champion", Severity.WARNING)
    due = Diagnostic("a.yml", 1, 1, "W301", "review overdue", Severity.WARNING)  # the calendar's: never stops --strict
    assert exit_code([]) is ExitCode.OK and exit_code([warning]) is ExitCode.OK
    assert exit_code([warning], strict=True) is ExitCode.STRICT
    assert exit_code([due], strict=True) is ExitCode.OK
    assert exit_code([warning, error], strict=True) is ExitCode.ERRORS


def test_a_kam_error_says_one_line_and_carries_what_goes_with_it():
    found = Diagnostic("a.yml", 2, 3, "E104", "bad", Severity.ERROR)
    error = KamError("fix it", exit_code=ExitCode.USAGE, diagnostics=[found], details=["x", "y"], option="--tier")
    assert str(error) == "fix it" and error.exit_code is ExitCode.USAGE
    assert error.diagnostics == (found,) and error.details == ("x", "y") and error.option == "--tier"
    assert KamError("plain").exit_code is ExitCode.ERRORS
