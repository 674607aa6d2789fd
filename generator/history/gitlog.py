"""The repository's history from git, read in two processes whatever its size.

One `git log` pass lists every first-parent commit that touched the portfolio, with each changed
file's blob id; one `git cat-file --batch` reads every blob needed. `CommitTree` then replays the
commits oldest first and serves each state to the ordinary loader as a `load.Source`, so history
is read by the same code, under the same rules, as the working tree.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ExitCode, KamError

# What the portfolio's figures depend on; the playbook and the site's templates do not move them.
PORTFOLIO_PATHS = ("accounts", "criteria.yml", "team.yml")
_NO_BLOB = "0" * 40


class HistoryProblem(KamError):
    """Git could not be read; the message says why."""

    exit_code = ExitCode.ENVIRONMENT


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D, T or R (a rename, possibly with edits)
    old_path: str | None
    new_path: str | None
    blob: str | None  # the new content's blob id; None when the file was deleted


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.datetime  # author date, with its offset
    author: str
    subject: str
    changes: tuple[FileChange, ...]


@dataclass(frozen=True)
class Log:
    commits: tuple[Commit, ...]  # oldest first
    shallow: bool  # the clone's history is cut: the first commit is not the repository's first


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except OSError as exc:
        raise HistoryProblem(f"cannot run git: {exc.strerror}") from exc
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        raise HistoryProblem(f"git failed: {said}")
    return done.stdout


def head(root: Path) -> str | None:
    """The commit HEAD names; None outside git or before the first commit. A history read for
    one HEAD holds until HEAD moves: `kam serve` keys what it keeps by this."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip() or None
    except HistoryProblem:
        return None


def in_git(root: Path) -> bool:
    return head(root) is not None


def read_log(root: Path, paths: tuple[str, ...] = PORTFOLIO_PATHS) -> Log:
    """First-parent commits of HEAD that changed `paths` (relative to `root`), oldest first."""
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
    out = _git(root, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--no-abbrev",
               "--raw", "-M", "-z", "--relative", "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--", *paths)
    return Log(tuple(_commits(out.decode("utf-8", errors="replace"))), shallow)


def _commits(text: str):
    for record in text.split("\x1e")[1:]:
        header, _, raw = record.partition("\0")
        sha, date, author, subject = header.split("\x1f", 3)
        yield Commit(sha, dt.datetime.fromisoformat(date), author, subject, tuple(_changes(raw)))


def _changes(raw: str):
    fields = raw.lstrip("\n").split("\0")
    index = 0
    while index < len(fields):
        meta = fields[index]
        if not meta.startswith(":"):
            index += 1
            continue
        _, new_mode, _, new_blob, status = meta[1:].split(" ")
        kind = status[0]
        old: str | None
        if kind in "RC":
            old, new = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old = new = fields[index + 1]
            index += 2
        if kind == "C":  # a copy leaves the original in place
            kind, old = "A", None
        # A link's blob is only the name of its target, and a submodule has no blob here: neither
        # is a file the portfolio can hold, as in the working tree.
        regular = new_mode.startswith("100")
        blob = None if new_blob == _NO_BLOB or kind == "D" or not regular else new_blob
        yield FileChange(kind, None if kind == "A" else old, None if kind == "D" else new, blob)


def read_blobs(root: Path, blob_ids) -> dict[str, bytes]:
    """Every blob's content, in one `git cat-file --batch` process."""
    wanted = sorted(set(blob_ids))
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", data=("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes] = {}
    position = 0
    for _ in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].decode().split(" ")
        if len(header) != 3:  # "<id> missing": a partial clone without this object
            raise HistoryProblem(f"object {header[0]} is not in this clone; fetch it (`git fetch --refetch`)")
        sha, _, size = header
        start = end + 1
        blobs[sha] = out[start:start + int(size)]
        position = start + int(size) + 1
    return blobs


class CommitTree:
    """The portfolio's files at one commit, advanced commit by commit; a `load.Source`."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs
        self.files: dict[str, str] = {}  # path -> blob id
        self.children: dict[str, set[str]] = {"": set()}

    def apply(self, change: FileChange) -> None:
        if change.old_path is not None:
            self._remove(change.old_path)
        if change.new_path is not None and change.blob is not None:
            self._add(change.new_path, change.blob)

    def _add(self, path: str, blob: str) -> None:
        self.files[path] = blob
        parent, _, name = path.rpartition("/")
        while True:
            siblings = self.children.setdefault(parent, set())
            if name in siblings:
                break
            siblings.add(name)
            if not parent:
                break
            parent, _, name = parent.rpartition("/")

    def _remove(self, path: str) -> None:
        if self.files.pop(path, None) is None:
            return
        parent, _, name = path.rpartition("/")
        while True:
            siblings = self.children.get(parent, set())
            siblings.discard(name)
            if siblings or not parent:
                break
            del self.children[parent]
            parent, _, name = parent.rpartition("/")

    # load.Source
    def is_dir(self, rel: str) -> bool:
        return rel in self.children

    def exists(self, rel: str) -> bool:
        return rel in self.files or rel in self.children

    def is_link(self, rel: str) -> bool:
        return False  # a link's blob is its target's name: the loader never follows it here

    def leaves_repo(self, rel: str) -> bool:
        return False

    def names(self, rel: str) -> list[str]:
        return sorted(self.children.get(rel, ()))

    def size(self, rel: str) -> int:
        return len(self.read(rel))

    def read(self, rel: str) -> bytes:
        try:
            return self.blobs[self.files[rel]]
        except KeyError:
            raise FileNotFoundError(2, "No such file in this commit", rel) from None

    def fingerprint(self, rel: str) -> str | None:
        return self.files.get(rel)
