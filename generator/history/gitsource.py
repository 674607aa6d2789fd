"""Reading the repository as it was at a git revision, from git objects alone.

`git archive` streams a commit's tree out of the object store into a temporary folder, which the
ordinary pipeline then reads: no checkout, no stash, the work tree and HEAD are never touched,
and every rule is the one `kam validate` applies.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ExitCode, KamError

if TYPE_CHECKING:
    from .diff import PortfolioDiff


class RevisionProblem(KamError):
    """A revision that cannot be read, with what to do about it: a name that is not there is the user's to
    correct; a clone without the history, or git failing, is the environment's."""

    exit_code = ExitCode.USAGE


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=False, check=False)


def is_repository(root: Path) -> bool:
    return _git(root, "rev-parse", "--git-dir").returncode == 0


def default_branches(root: Path) -> list[str]:
    """Where git would say the default branch is, most telling first: the remote's HEAD, the branch
    `init.defaultBranch` names, then the two names repositories use (main, and master before it)."""
    configured = _git(root, "config", "--get", "init.defaultBranch").stdout.decode().strip()
    names = [n for n in (configured, "main", "master") if n]
    return ["origin/HEAD", *(f"origin/{n}" for n in names), *names]


def default_base(root: Path) -> str:
    """Where a pull request starts: the merge base with the default branch."""
    tried = list(dict.fromkeys(default_branches(root)))
    for branch in tried:
        found = _git(root, "merge-base", "HEAD", branch)
        if found.returncode == 0:
            return found.stdout.decode().strip()
    raise RevisionProblem(f"no default branch to compare with (tried {', '.join(tried)}); "
                          "name the base revision, e.g. `kam diff main`")


def resolve(root: Path, revision: str) -> str:
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
    if shallow:
        raise RevisionProblem(f"revision {revision!r} is not in this shallow clone; fetch the history first: "
                              "`git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)",
                              exit_code=ExitCode.ENVIRONMENT)
    # The name is shown quoted, never pasted into the command to run: it could be an option of git's.
    raise RevisionProblem(f"unknown revision {revision!r}: no branch, tag or commit of that name here; check the name, "
                          "or fetch the remote's branches and tags first: `git fetch origin`")


def materialise(root: Path, commit: str, into: Path) -> Path:
    """The files of `commit` written under `into` (a fresh folder), read from git objects."""
    archive = _git(root, "archive", "--format=tar", commit)
    if archive.returncode != 0:
        raise RevisionProblem(f"cannot read revision {commit[:12]}: {archive.stderr.decode().strip()}",
                              exit_code=ExitCode.ENVIRONMENT)
    into.mkdir(parents=True, exist_ok=True)
    outward: list[tarfile.TarInfo] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            # "data": no links out of the folder, no special files, no names outside it
            tar.extractall(into, filter=_data_keeping_outward_links(outward))
    except tarfile.TarError as exc:
        raise RevisionProblem(f"cannot read revision {commit[:12]}: {exc}", exit_code=ExitCode.ENVIRONMENT) from None
    for link in outward:
        _restore_link(into, link)
    return into


def _data_keeping_outward_links(outward: list[tarfile.TarInfo]):
    """The "data" filter, except that a symbolic link pointing out of the folder is set aside
    instead of stopping the whole revision: the loader reports such a link (E009) at its path, as
    it does in the working tree, so `kam diff` must see it there too."""
    def check(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
        try:
            return tarfile.data_filter(member, dest)
        except (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError):
            if not member.issym():
                raise
            outward.append(member)
            return None
    return check


def _restore_link(into: Path, member: tarfile.TarInfo) -> None:
    """The link made after every file is written, so that nothing is ever extracted through it;
    the loader never follows it either. Its name already passed the filter (inside `into`)."""
    path = into / member.name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(member.linkname, path)
    except OSError:
        pass  # a file of the same name (a case-insensitive disk): that file is what the revision shows here


def compare(root: Path, base: str | None, head: str | None, today: dt.date) -> PortfolioDiff:
    """What the working tree (or the revision `head`) does to the portfolio at `base` (default: the
    merge base with the default branch). Revisions are read from git objects into a scratch folder:
    the work tree and HEAD are never touched. Raises RevisionProblem."""
    from ..scoring.check import check
    from .diff import diff

    if not is_repository(root):
        raise RevisionProblem(f"{root} is not a git repository; there is nothing to compare with")
    base_commit = resolve(root, base) if base else default_base(root)
    head_commit = resolve(root, head) if head else None
    with tempfile.TemporaryDirectory(prefix="kam-diff-") as scratch:
        before = check(materialise(root, base_commit, Path(scratch) / "base"), today)
        after = check(materialise(root, head_commit, Path(scratch) / "head") if head_commit else root, today)
    return diff(before, after, today, base_commit, head_commit or "working tree")
