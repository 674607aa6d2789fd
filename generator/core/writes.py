"""All-or-nothing writes of many files: `kam init`, `kam import crm` and `kam import accept`.

Every file is first written in full into a staging folder beside its target (same file system,
so moving it in is a rename), and only then moved into place. If a move fails part of the way,
the files moved so far are taken back out and the ones they replaced are put back, so the
repository is left as it was. The staging folder is removed either way.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .errors import ExitCode, KamError


class WriteProblem(KamError):
    """A write that could not be completed; nothing was changed."""

    exit_code = ExitCode.ENVIRONMENT


def _relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"not a path inside the repository: {rel!r}")  # a bug, not a user error
    return path


def _stage(staging: Path, files: Mapping[str, bytes]) -> None:
    for rel, data in files.items():
        path = staging / _relative(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def commit(root: Path, files: Mapping[str, bytes | str]) -> list[str]:
    """Write `files` (repository-relative POSIX path -> content) under `root`, all or none.
    Returns the paths written, sorted. Raises WriteProblem, having changed nothing."""
    encoded = {rel: data.encode("utf-8") if isinstance(data, str) else data for rel, data in files.items()}
    if not encoded:
        return []
    try:
        if not root.exists():
            _create(root, encoded)
        else:
            _replace_into(root, encoded)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise WriteProblem(f"cannot write into {root}: {exc.strerror or exc}{where}; nothing was changed") from None
    return sorted(encoded)


def _create(root: Path, files: Mapping[str, bytes]) -> None:
    """A new folder: staged whole beside it and renamed into place in one step."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.kam-new-"))
    try:
        _stage(staging, files)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a repository is not
        os.rename(staging, root)  # fails, rather than merges, if the folder appeared meanwhile
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace_into(root: Path, files: Mapping[str, bytes]) -> None:
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".kam-staging-"))
    new, old = staging / "new", staging / "old"
    placed: list[tuple[Path, Path | None]] = []  # (target, where its previous version went)
    created: list[Path] = []  # folders made for new files, outermost first
    try:
        _stage(new, files)
        for rel in sorted(files):
            target = root / _relative(rel)
            for parent in reversed(target.relative_to(root).parents[:-1]):
                folder = root / parent
                if not folder.exists():
                    folder.mkdir()
                    created.append(folder)
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(errno.EISDIR, "a folder is in the way of a file", str(target))
            backup = None
            if target.exists() or target.is_symlink():
                backup = old / _relative(rel)
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            placed.append((target, backup))
            os.replace(new / _relative(rel), target)
    except OSError:
        _undo(placed, created)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _undo(placed: list[tuple[Path, Path | None]], created: list[Path]) -> None:
    """Take back every file moved in and restore what it replaced, newest first."""
    for target, backup in reversed(placed):
        try:
            if target.exists() or target.is_symlink():
                target.unlink()
            if backup is not None:
                os.replace(backup, target)
        except OSError:
            pass  # keep restoring the others
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
