"""The locked dependency sets: every dependency pinned, within what pyproject.toml allows, and the
starter's constraints the same set as this repository's runtime lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match.group(1).split("[")[0])] = match.group(2)
    return pins


def _declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def test_every_dependency_is_pinned_within_what_pyproject_allows():
    for lock, requirements in (("runtime.txt", _declared()), ("ci.txt", _declared() + _declared("test"))):
        pins = _pins(ROOT / "requirements" / lock)
        for requirement in requirements:
            version = pins.get(canonicalize_name(requirement.name))
            assert version is not None, f"{requirement.name} is not pinned in requirements/{lock}"
            assert requirement.specifier.contains(version, prereleases=True), (lock, requirement, version)


def test_the_starter_installs_from_the_same_runtime_lock():
    assert (ROOT / "generator/scaffold/starter/constraints.txt").read_text(encoding="utf-8") == \
        (ROOT / "requirements/runtime.txt").read_text(encoding="utf-8")
    for workflow in (ROOT / "generator/scaffold/starter/workflows").glob("*.yml"):
        installs = [line for line in workflow.read_text(encoding="utf-8").splitlines() if "pip install" in line]
        assert installs and all("-c constraints.txt" in line for line in installs), workflow.name
    for workflow in (ROOT / ".github/workflows").glob("*.yml"):
        installs = [line for line in workflow.read_text(encoding="utf-8").splitlines() if "pip install" in line]
        assert all("-c requirements/ci.txt" in line for line in installs), workflow.name
