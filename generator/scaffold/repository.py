"""`kam init`: a new account repository that validates and builds before it has any account.

The files come from `starter/` (package data) and from what the generator already knows how to
write: the JSON Schemas from the model, and the site templates the pipeline renders.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

from ..core.errors import ExitCode, KamError
from ..core.schemas import schema_files
from ..core.writes import commit
from ..site.render import DEFAULT_TEMPLATES
from .account import yaml_quoted, yaml_text

STARTER = Path(__file__).parent / "starter"
DEFAULT_NAME = "Key account playbooks"

# starter/ file -> where it goes in the new repository (dot files are kept without their dot in
# the package, where tools would otherwise treat them as this project's own).
_RENAMED = {
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "gitignore": ".gitignore",
    "dependabot.yml": ".github/dependabot.yml",
}


class InitProblem(KamError):
    """The repository cannot be created as asked; nothing was written."""

    exit_code = ExitCode.USAGE


def starter_files(name: str = DEFAULT_NAME) -> dict[str, str]:
    """Every file of a new repository: relative POSIX path -> text."""
    files: dict[str, str] = {}
    for path in sorted(STARTER.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(STARTER).as_posix()
            target = _RENAMED.get(rel, rel)
            if rel.startswith("workflows/"):
                target = ".github/" + rel
            files[target] = path.read_text(encoding="utf-8")
    files["mkdocs.yml"] = files["mkdocs.yml"].replace("{site_name}", yaml_text(name))
    files["README.md"] = files["README.md"].replace("{site_name}", name)
    requirement = generator_requirement()
    files["requirements.txt"] = files["requirements.txt"].replace("{requirement}", requirement)
    # The hook installs the same generator CI does, quoted: a URL's `#sha256=` would otherwise start a comment.
    files[".pre-commit-config.yaml"] = files[".pre-commit-config.yaml"].replace("{requirement}", yaml_quoted(requirement))
    files.update({f"schemas/{file}": text for file, text in schema_files().items()})
    files.update(_site_templates())
    return files


DISTRIBUTION = "account-playbooks"
# What requirements.txt says when kam init cannot tell where the generator came from: a URL that
# no package index can answer and that fails at once, its host (under .invalid, which never
# resolves, RFC 2606) saying what to do.
PLACEHOLDER = f"{DISTRIBUTION} @ https://set-the-generator-url-in-requirements-txt.invalid/see-the-comment-above"


def generator_requirement() -> str:
    """The requirements.txt line that installs this very generator, by a reference no package index
    can answer: never a bare name, which anyone could register on a public index."""
    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    try:
        return requirement_from(json.loads(recorded) if recorded else None)
    except (ValueError, KeyError, TypeError, AttributeError):  # a record we cannot read names nothing
        return PLACEHOLDER


def requirement_from(direct_url: dict | None) -> str:
    """A requirement from pip's record of a direct install (PEP 610's direct_url.json): the commit of
    a VCS install, the archive's URL with its hash, or the folder; the placeholder for anything else
    (an install from a package index leaves no record of which index)."""
    if not direct_url:
        return PLACEHOLDER
    url = direct_url["url"]
    if not isinstance(url, str) or not url or any(c.isspace() for c in url) or "#" in url:
        return PLACEHOLDER
    fragment = f"#subdirectory={direct_url['subdirectory']}" if direct_url.get("subdirectory") else ""
    if "vcs_info" in direct_url:
        vcs = direct_url["vcs_info"]
        if not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", vcs["commit_id"]):
            return PLACEHOLDER
        return f"{DISTRIBUTION} @ {vcs['vcs']}+{url}@{vcs['commit_id']}{fragment}"
    if "archive_info" in direct_url:
        digest = (direct_url["archive_info"].get("hashes") or {}).get("sha256")
        return f"{DISTRIBUTION} @ {url}" + (f"#sha256={digest}" if digest else fragment)
    if "dir_info" in direct_url:
        return f"{DISTRIBUTION} @ {url}{fragment}"
    return PLACEHOLDER


def _site_templates() -> dict[str, str]:
    if not DEFAULT_TEMPLATES.is_dir():
        raise InitProblem(f"the generator's site templates are missing ({DEFAULT_TEMPLATES}); "
                          "reinstall account-playbooks (`pip install --force-reinstall account-playbooks`)",
                          exit_code=ExitCode.ENVIRONMENT)
    return {f"site_templates/{p.relative_to(DEFAULT_TEMPLATES).as_posix()}": p.read_text(encoding="utf-8")
            for p in sorted(DEFAULT_TEMPLATES.rglob("*")) if p.is_file()}


def existing(target: Path, files: dict[str, str]) -> tuple[str, ...]:
    """The files a new repository would overwrite in `target` (a folder in the way counts too)."""
    return tuple(rel for rel in sorted(files) if (target / rel).exists() or (target / rel).is_symlink())


def init(target: Path, *, name: str = DEFAULT_NAME, force: bool = False) -> list[str]:
    """Write a new repository into `target`, all files or none; returns the paths written.
    Raises ExistingFiles, naming them, when files are in the way and `force` is not set."""
    files = starter_files(name)
    if target.exists() and not target.is_dir():
        raise InitProblem(f"{target} is a file, not a folder")
    in_the_way = existing(target, files)
    if in_the_way and not force:
        raise ExistingFiles(target, in_the_way)
    return commit(target, files)


class ExistingFiles(InitProblem):
    def __init__(self, target: Path, paths: tuple[str, ...]) -> None:
        super().__init__(f"{target} already has {len(paths)} of the files a new repository needs; nothing was written "
                         "(use --force to overwrite them):", details=paths)
        self.paths = paths
