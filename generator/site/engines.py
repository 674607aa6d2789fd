"""`kam build --engine`: the site built by another engine than MkDocs, from the rendered tree.

MkDocs (the default) builds through the kam plugin. Any other engine builds the tree `kam render
--out` writes: rendered into a temporary folder beside the site, audited (site/audit.py: the tree
must be inert before an engine that runs no hook reads it), built by the engine, and swapped in
where `kam build` puts its site, so that a failed build leaves the previous site as it was.

Zensical, Material's successor, reads the tree's mkdocs.yml; it runs neither MkDocs plugins nor
hooks, which is why the audit, not a hook, is what stands between account text and the page.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..core import siteconfig
from ..core.errors import ExitCode, KamError
from .audit import audit_tree
from .build import Generated
from .export import export
from .publish import Published, check_site_dir, refusal, swap_in

ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"
# What Zensical implements of mkdocs.yml's plugins itself; it ignores every other one without a word.
ZENSICAL_PLUGINS = frozenset({"search"})
# The engine's output quotes lines of the tree, account text among them: shown without its colours
# and without any other control character a name could carry to the terminal.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f]")


class EngineMissing(KamError):
    exit_code = ExitCode.ENVIRONMENT


def zensical_command() -> list[str]:
    """How to run Zensical: the one installed beside the generator, else the one on PATH."""
    if importlib.util.find_spec("zensical") is not None:
        return [sys.executable, "-m", "zensical"]
    if found := shutil.which("zensical"):
        return [found]
    raise EngineMissing("the engine zensical is not installed: `pip install zensical` (or the project's "
                        "`engines` extra) where kam is installed, or build with the default engine")


def ignored_plugins(config: dict, supported: Iterable[str] = ZENSICAL_PLUGINS) -> list[str]:
    """The plugins the repository's mkdocs.yml lists that the engine will not run (kam and macros
    aside: the tree is what they would have made)."""
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins") or []]
    return [n for n in names if isinstance(n, str) and n not in {"kam", "macros", *supported}]


def publish_with(engine: str, root: Path, generated: Generated, *, strict: bool = False,
                 site_dir: Path | None = None, site_url: str | None = None, force: bool = False) -> Published:
    """Build the site with `engine` (one of ENGINES but mkdocs) from the rendered tree."""
    check_site_dir(root, site_dir, force=force)
    if problem := refusal(generated, strict):
        raise problem
    command = zensical_command()
    config = siteconfig.parse((root / "mkdocs.yml").read_text(encoding="utf-8"))
    target = (site_dir or root / str(config.get("site_dir") or "site")).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{engine}-"))
    try:
        exported = export(root, work / "tree", generated, site_url=site_url)
        if found := audit_tree(exported.folder, trusted=("playbook/",) if exported.playbook_html else ()):
            raise KamError(f"not building with {engine}: the rendered tree is not inert ({len(found)} "
                           "problem(s) above, paths in the tree `kam render --out` writes); nothing was built",
                           diagnostics=found)
        built = _run(command, exported.folder, strict)
        swap_in(built, target)
    except OSError as exc:
        raise KamError(f"cannot write the site: {exc}; the previous site was left as it was",
                       exit_code=ExitCode.ENVIRONMENT) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    notes = tuple(f"mkdocs.yml lists the plugin `{name}`: {engine} does not run it (nor any hook)"
                  for name in ignored_plugins(config))
    return Published(target, notes)


def _run(command: list[str], tree: Path, strict: bool) -> Path:
    """The engine run on the tree; the folder it wrote."""
    env = {**os.environ, "NO_COLOR": "1"}
    args = [*command, "build", "--clean", "--config-file", str(tree / "mkdocs.yml"), *(["--strict"] if strict else [])]
    try:
        result = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, encoding="utf-8",
                                errors="replace", stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise EngineMissing(f"the engine could not be started: {exc}") from None
    site = tree / "site"
    if result.returncode != 0 or not (site / "index.html").is_file():
        output = engine_output(result.stdout + result.stderr)
        if strict and any(_STRICT_ABORT in line for line in output):
            raise KamError("not building under --strict: the engine found the warnings above; the previous site "
                           "was left as it was", exit_code=ExitCode.STRICT, details=output[-40:])
        raise KamError(f"the engine failed (exit {result.returncode}); the previous site was left as it was",
                       details=output[-40:])
    return site


_STRICT_ABORT = "Aborted because --strict flag is set"


def engine_output(text: str) -> list[str]:
    """The engine's report as lines a person reads: no colours or control characters, and for a
    Python traceback (Zensical ends a --strict abort with one) only its last line, the message."""
    lines = _ANSI.sub("", text).strip().splitlines()
    if "Traceback (most recent call last):" in lines:
        start = lines.index("Traceback (most recent call last):")
        lines = lines[:start] + [lines[-1].split(": ", 1)[-1]]
    return [line for line in lines if line.strip()]
