"""The bad-input corpus: each case is one YAML file describing edits to a good base repo and
the exact diagnostics `kam validate` must print for it."""

from __future__ import annotations

import base64
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from account_playbooks.core.errors import ExitCode

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
CASES = HERE / "cases"
TODAY = "2026-11-24"


@dataclass
class Case:
    name: str
    description: str
    expected: list[str]
    args: list[str] = field(default_factory=list)
    spec: dict = field(default_factory=dict)

    @property
    def expected_exit(self) -> int:
        if any(" error[" in line for line in self.expected):
            return ExitCode.ERRORS
        if "--strict" in self.args and any(" warning[" in line for line in self.expected):  # a notice never stops it
            return ExitCode.STRICT
        return ExitCode.OK


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected = [line for line in (spec.get("expected") or "").splitlines() if line.strip()]
        cases.append(Case(path.stem, spec["description"], expected, spec.get("args", []), spec))
    return cases


def materialise(case: Case, target: Path) -> Path:
    """Copy the base repo to `target` and apply the case's edits; fail loudly on a no-op edit."""
    repo = target / "repo"
    shutil.copytree(BASE, repo, symlinks=True)
    spec = case.spec
    for edit in spec.get("edit", []):
        path = repo / edit["file"]
        text = path.read_text(encoding="utf-8")
        if edit["find"] not in text:
            raise AssertionError(f"{case.name}: {edit['find']!r} not found in {edit['file']}")
        path.write_text(text.replace(edit["find"], edit["replace"], edit.get("count", 1)), encoding="utf-8")
    for relative, text in (spec.get("write") or {}).items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for relative, encoded in (spec.get("write_base64") or {}).items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(encoded))
    for relative, repeat in (spec.get("write_repeat") or {}).items():
        path = repo / relative
        path.write_text(repeat["text"] * repeat["times"], encoding="utf-8")
    for relative, link_target in (spec.get("symlink") or {}).items():
        path = repo / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(link_target.replace("{outside}", str(target / "outside")))
    (target / "outside").mkdir(exist_ok=True)
    (target / "outside" / "account.yml").write_text("name: Elsewhere\n", encoding="utf-8")
    for relative in spec.get("delete", []):
        path = repo / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return repo


def run(case: Case, target: Path) -> list[str]:
    """What `kam validate` prints for the case, one diagnostic a line."""
    from click.testing import CliRunner

    from account_playbooks.cli.commands import main

    repo = materialise(case, target)
    result = CliRunner().invoke(main, ["--root", str(repo), "validate", "--today", TODAY, "--format", "text",
                                       *case.args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # else an update would take a crash's partial output for the expectation
    return result.stdout.splitlines()


def with_expected(text: str, lines: list[str]) -> str:
    """The case file's text with its `expected:` block (always the last key) replaced."""
    head = text[: text.index("\nexpected:") + 1] if "\nexpected:" in text else text.rstrip("\n") + "\n"
    if not lines:
        return head + 'expected: ""\n'
    return head + "expected: |\n" + "".join(f"  {line}\n" for line in lines)


def update(names: list[str]) -> int:
    """Rewrite the expectations of the named cases (all when none) from what validate prints
    now, and show each change as a diff for review. Returns how many files changed."""
    import difflib
    import tempfile

    cases = load_cases()
    unknown = sorted(set(names) - {case.name for case in cases})
    if unknown:  # a misspelt name would otherwise look like a case that needs no change
        raise SystemExit(f"no such case: {', '.join(unknown)} (the names are the files in {CASES}, without .yml)")
    changed = 0
    for case in cases:
        if names and case.name not in names:
            continue
        path = CASES / f"{case.name}.yml"
        with tempfile.TemporaryDirectory() as folder:
            lines = run(case, Path(folder))
        old = path.read_text(encoding="utf-8")
        new = with_expected(old, lines)
        if new != old:
            changed += 1
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       f"a/{path.name}", f"b/{path.name}"))
            path.write_text(new, encoding="utf-8")
    print(f"{changed} case file(s) updated; review the diff above before committing", file=sys.stderr)
    return changed


if __name__ == "__main__":  # python -m tests.corpus [CASE ...]  (make corpus-update)
    import warnings

    from account_playbooks.validate.declare import UndeclaredCode

    warnings.simplefilter("error", UndeclaredCode)  # as in the test suite: never record a rule's stray code
    update(sys.argv[1:])
