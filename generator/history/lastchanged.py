"""When each source file last changed, from git, in one call for the whole repository."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(root: Path) -> dict[str, dt.date]:
    """Repo-relative path -> date of the last commit that touched it.

    Outside a git checkout (a tarball, a CI cache) this is empty and pages fall back to the
    file's modification time; the build never fails for lack of history.
    """
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", "."],
            cwd=root, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    prefix = _repo_prefix(root)
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:].strip())
        elif line and current is not None:
            path = line.removeprefix(prefix)
            dates.setdefault(path, current)  # git log is newest first
    return dates


def _repo_prefix(root: Path) -> str:
    try:
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return prefix


def changed_on(root: Path, path: str, history: dict[str, dt.date]) -> dt.date | None:
    if path in history:
        return history[path]
    try:
        return dt.date.fromtimestamp((root / path).stat().st_mtime)
    except OSError:
        return None
