"""Publishing the site with mkdocs: where it may be written, building it beside the previous one and
swapping it in, and serving a preview. The pages come from build.generate; the kam plugin is told
what to do through its configuration options, never through the environment.

Every refusal is a KamError with its exit code: a folder not safe to write (usage), files with
errors (errors), warnings under --strict (strict), the file system failing (environment).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.diagnostics import stops_strict, summary
from ..core.errors import ExitCode, KamError
from ..core.text import suggest
from .build import Generated

PLUGIN = "kam"


def unsafe_site_dir(root: Path, site_dir: Path) -> str | None:
    """Why `site_dir` may not be written, or None. mkdocs empties the site folder before writing:
    never let that folder hold the user's files."""
    if site_dir == root or site_dir in root.parents:
        return f"{site_dir} contains the repository"
    if site_dir.is_dir() and any(site_dir.iterdir()):
        built_before = (site_dir / "sitemap.xml").exists() or (site_dir / "404.html").exists()
        if not built_before:
            return f"{site_dir} is not empty and does not hold a previous build"
    return None


def check_site_dir(root: Path, site_dir: Path | None, *, force: bool = False) -> None:
    """Refuse, before anything is generated, a site folder that may not be written (unless `force`)."""
    if site_dir is not None and not force and (why := unsafe_site_dir(root, site_dir.resolve())):
        raise KamError(f"{why}; nothing was written (use --force to build there anyway)", exit_code=ExitCode.USAGE)


def refusal(generated: Generated, strict: bool) -> KamError | None:
    """Why the site is not built from what `generate` found, or None: errors stop it, and under
    `strict` so do warnings (not those the calendar brings)."""
    found = generated.validated.diagnostics
    if not generated.pages:
        return KamError(f"not building: {summary(found)}", exit_code=ExitCode.ERRORS)
    if strict and any(stops_strict(d) for d in found):
        return KamError(f"not building under --strict: {summary(found)}", exit_code=ExitCode.STRICT)
    return None


@dataclass(frozen=True)
class Published:
    site: Path
    notes: tuple[str, ...] = ()  # what the person should change in the repository, though the build went on


class _Levels(logging.Handler):
    """Shows mkdocs' warnings (called as a library under --strict, mkdocs only counts them: "Aborted
    with 1 warnings" would not say which) and counts them by level, so that an abort for warnings
    alone is told apart from one for errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.shown = logging.StreamHandler(sys.stderr)  # sys.stderr as it is now: a test may have replaced it
        self.shown.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        self.errors = self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        self.shown.emit(record)


def publish(root: Path, generated: Generated, *, strict: bool = False, site_dir: Path | None = None,
            site_url: str | None = None, force: bool = False) -> Published:
    """Build the site with mkdocs from what `generate` made, into a fresh folder beside the site,
    swapped in only when mkdocs succeeds: a failed build of any kind leaves the previous site as it
    was, byte for byte."""
    check_site_dir(root, site_dir, force=force)
    if problem := refusal(generated, strict):
        raise problem
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    options: dict[str, Any] = {"strict": strict}
    if site_dir is not None:
        options["site_dir"] = str(site_dir.resolve())
    if site_url:
        options["site_url"] = site_url if site_url.endswith("/") else site_url + "/"
    levels = _Levels()
    logging.getLogger("mkdocs").addHandler(levels)
    staging = None
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), **options)
        target = Path(config.site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-"))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is read by a web server
        config.site_dir = str(staging)
        plugin = config.plugins.get(PLUGIN)
        if plugin is not None:  # what was generated, the date with it: nothing is done twice
            plugin.config.pregenerated = generated
        notes = (_retired_macros(),) if config.plugins.get("macros") is not None else ()
        mkdocs_build(config)
        swap_in(staging, target)
        staging = None
    except MkDocsException as exc:
        warnings_only = isinstance(exc, Abort) and strict and levels.warnings and not levels.errors
        raise KamError(f"{exc}; the previous site was left as it was",
                       exit_code=ExitCode.STRICT if warnings_only else ExitCode.ERRORS) from None
    except OSError as exc:
        raise KamError(f"cannot write the site: {exc}; the previous site was left as it was",
                       exit_code=ExitCode.ENVIRONMENT) from None
    finally:
        logging.getLogger("mkdocs").removeHandler(levels)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return Published(target, notes)


def _retired_macros() -> str:
    # The plugin logs it at info level, which a build through kam does not show.
    from .plugin import RETIRED_MACROS_PLUGIN

    return RETIRED_MACROS_PLUGIN


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def swap_in(built: Path, target: Path) -> None:
    """Replace `target` with `built`: two renames in one folder, the old site removed last."""
    if not target.exists():
        built.rename(target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
    old.rmdir()
    target.rename(old)
    try:
        built.rename(target)
    except OSError:
        old.rename(target)  # put the previous site back: never leave no site at all
        raise
    shutil.rmtree(old, ignore_errors=True)



# -- the preview ------------------------------------------------------------------------------------

def check_focus(root: Path, focus: Iterable[str]) -> tuple[str, ...]:
    """The accounts to preview, each an account folder of the repository."""
    accounts = root / "accounts"
    known = sorted(p.name for p in accounts.iterdir() if p.is_dir()) if accounts.is_dir() else []
    unknown = [a for a in focus if a not in known]
    if unknown:
        raise KamError("no account " + ", ".join(f"{a!r}{suggest(a, known)}" for a in unknown),
                       exit_code=ExitCode.USAGE)
    return tuple(focus)


def focused_plugins(root: Path, focus: tuple[str, ...]) -> dict[str, dict]:
    """mkdocs.yml's plugins with the kam plugin's `focus` option set: mkdocs serve reads its
    configuration again for every rebuild, so the option goes where it reads it. A mapping, not
    mkdocs.yml's list: mkdocs takes each list entry apart as it reads it, and reads it many times."""
    from mkdocs.config.defaults import MkDocsConfig

    path = root / "mkdocs.yml"
    raw = MkDocsConfig(config_file_path=str(path))
    with path.open("rb") as fd:
        raw.load_file(fd)
    entries = raw.data.get("plugins") or {}
    pairs = entries.items() if isinstance(entries, dict) else [
        next(iter(e.items())) if isinstance(e, dict) and len(e) == 1 else (e, {}) for e in entries]
    plugins = {}
    for name, options in pairs:
        options = dict(options or {})
        if options.pop("enabled", True) is False:
            continue  # left out as mkdocs would, rather than let mkdocs pop the key out of a shared mapping
        plugins[name] = options
    if PLUGIN not in plugins:
        raise KamError(f"{path.name} lists no `{PLUGIN}` plugin under plugins:, and --focus previews through it",
                       exit_code=ExitCode.USAGE)
    plugins[PLUGIN] = {**plugins[PLUGIN], "focus": list(focus)}
    return plugins


class _DirtyNotice(logging.Filter):
    """mkdocs warns on every dirty build that navigation may be stale. In kam's preview only the
    pages an edit changed are built again, by design: said once when the preview starts, not on every save."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def serve(root: Path, port: int, focus: tuple[str, ...] = ()) -> None:
    """mkdocs serve with live reload, the kam plugin told which accounts to preview (all when none).
    Without a focus the build is dirty: a save builds again only the pages whose content changed
    (the kam plugin rewrites only those), so a preview of a large portfolio stays quick."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    options: dict[str, Any] = {"plugins": focused_plugins(root, focus)} if focus else {"build_type": "dirty"}
    notice, logger = _DirtyNotice(), logging.getLogger("mkdocs.commands.build")
    logger.addFilter(notice)
    try:
        mkdocs_serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=f"127.0.0.1:{port}", **options)
    finally:
        logger.removeFilter(notice)
