"""Where the site templates are: a repository's own site_templates/ first, then the generator's."""

from __future__ import annotations

from pathlib import Path

# The templates this generator ships: inside the package when installed from a wheel, beside it
# in a source checkout. A repository's own site_templates/ come first; a template it lacks, such
# as one a newer generator added, comes from here, so an upgrade never stops a build for a
# missing file.
_PACKAGE = Path(__file__).resolve().parent.parent
_INSTALLED_TEMPLATES = _PACKAGE / "site_templates"
DEFAULT_TEMPLATES = _INSTALLED_TEMPLATES if _INSTALLED_TEMPLATES.is_dir() else _PACKAGE.parent / "site_templates"


def template_file(templates: Path, name: str) -> Path:
    """A file of the site templates (an asset): the repository's own, else the generator's."""
    own = templates / name
    return own if own.exists() or not (DEFAULT_TEMPLATES / name).exists() else DEFAULT_TEMPLATES / name
