"""scripts/ensure-browser, through its real interface: it installs Chromium (and npm, for the
accessibility check's axe-core) where it can and otherwise stops `make test` before the suite with
the command to run."""

from __future__ import annotations

import os
import subprocess

from .sitebuild import PROJECT

SCRIPT = PROJECT / "scripts" / "ensure-browser"


def _stubs(folder, uid: str, apt: bool = True, npm: bool = True):
    folder.mkdir()
    calls = folder / "calls.log"
    stubs = {"id": f"echo {uid}", "apt-get": f'echo "apt-get $*" >> {calls}', "npm": "exit 0"}
    for name, body in stubs.items():
        if (name == "apt-get" and not apt) or (name == "npm" and not npm):
            continue
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return calls


def _run(stubs, browser_path=None):
    # PATH holds only the stubs: the script needs nothing else (its other words are shell built-ins),
    # and a chromium installed on this machine stays out of sight.
    env = {**os.environ, "PATH": str(stubs), "KAM_BROWSER_PATH": str(browser_path or stubs / "no-chromium")}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True)


def _stopped_with_the_command(result, packages: str = "chromium") -> bool:
    """Non-zero, and one line that ends with the one command to run."""
    lines = result.stderr.splitlines()
    return (result.returncode != 0 and len(lines) == 1
            and lines[0].endswith(f"run: sudo apt-get update && sudo apt-get install -y {packages}"))


def test_without_root_it_stops_with_the_command_to_run(tmp_path):
    calls = _stubs(tmp_path / "bin", uid="1000")
    result = _run(tmp_path / "bin")
    assert _stopped_with_the_command(result), result.stderr
    assert not calls.exists()


def test_as_root_without_apt_it_stops_with_the_command_to_run(tmp_path):
    _stubs(tmp_path / "bin", uid="0", apt=False)
    result = _run(tmp_path / "bin")
    assert _stopped_with_the_command(result), result.stderr


def test_as_root_with_apt_it_installs_chromium(tmp_path):
    calls = _stubs(tmp_path / "bin", uid="0")
    result = _run(tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == ["apt-get update -qq", "apt-get install -y -qq chromium"]


def test_with_chromium_present_it_does_nothing(tmp_path):
    calls = _stubs(tmp_path / "bin", uid="0")
    present = tmp_path / "chromium"
    present.write_text("#!/bin/sh\n")
    present.chmod(0o755)
    result = _run(tmp_path / "bin", present)
    assert result.returncode == 0 and not calls.exists()


def test_without_npm_it_installs_npm_as_well(tmp_path):
    calls = _stubs(tmp_path / "bin", uid="0", npm=False)
    result = _run(tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == ["apt-get update -qq", "apt-get install -y -qq chromium npm"]


def test_without_npm_and_root_it_names_both_packages(tmp_path):
    _stubs(tmp_path / "bin", uid="1000", npm=False)
    assert _stopped_with_the_command(_run(tmp_path / "bin"), "chromium npm")


def test_with_chromium_present_and_npm_missing_it_installs_only_npm(tmp_path):
    calls = _stubs(tmp_path / "bin", uid="0", npm=False)
    present = tmp_path / "chromium"
    present.write_text("#!/bin/sh\n")
    present.chmod(0o755)
    result = _run(tmp_path / "bin", present)
    assert result.returncode == 0 and calls.read_text().splitlines()[-1] == "apt-get install -y -qq npm"
