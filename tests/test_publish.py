"""Publishing: where the site may be written, the swap that never leaves no site, what stops a build
(and with which exit code), and the preview's focus handed to the plugin as a configuration option."""

from __future__ import annotations

import datetime as dt

import pytest

from account_playbooks.core.errors import ExitCode, KamError
from account_playbooks.site.build import generate
from account_playbooks.site.publish import check_focus, check_site_dir, focused_plugins, refusal, unsafe_site_dir

from .corpus import BASE, TODAY
from .sitebuild import site_repo


@pytest.fixture
def repo(tmp_path):
    return site_repo(BASE, tmp_path / "repo")


def test_a_site_folder_holding_other_files_or_the_repository_is_refused(repo, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine")
    assert unsafe_site_dir(repo, notes) == f"{notes} is not empty and does not hold a previous build"
    assert unsafe_site_dir(repo, repo) == f"{repo} contains the repository"
    assert unsafe_site_dir(repo, tmp_path / "site") is None
    with pytest.raises(KamError, match="use --force") as refused:
        check_site_dir(repo, notes)
    assert refused.value.exit_code is ExitCode.USAGE
    check_site_dir(repo, notes, force=True)
    check_site_dir(repo, None)


def test_errors_stop_a_build_and_warnings_stop_a_strict_one_with_their_own_codes(repo):
    date = dt.date.fromisoformat(TODAY)
    assert refusal(generate(repo, date), strict=True) is None
    stakeholders = repo / "accounts" / "kan-code" / "stakeholders.yml"
    stakeholders.write_text(stakeholders.read_text().replace("role: champion", "role: influencer", 1))
    warned = generate(repo, date)
    assert refusal(warned, strict=False) is None
    strict = refusal(warned, strict=True)
    assert strict.exit_code is ExitCode.STRICT and str(strict) == "not building under --strict: 0 errors, 1 warning"
    stakeholders.write_text(stakeholders.read_text().replace("role: influencer", "role: champoin", 1))
    broken = refusal(generate(repo, date), strict=False)
    assert broken.exit_code is ExitCode.ERRORS and str(broken).startswith("not building: 1 error")


def test_the_focus_must_name_account_folders(repo):
    assert check_focus(repo, ("kan-code",)) == ("kan-code",)
    assert check_focus(repo, ()) == ()
    with pytest.raises(KamError, match="no account 'kan-cod'; did you mean 'kan-code'") as unknown:
        check_focus(repo, ("kan-code", "kan-cod"))
    assert unknown.value.exit_code is ExitCode.USAGE


def test_the_focus_is_the_kam_plugins_option_among_mkdocs_yml_plugins(repo):
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - offline:\n      enabled: false\n", 1))
    plugins = focused_plugins(repo, ("kan-code", "codehow"))
    assert plugins == {"search": {}, "kam": {"playbook_html": False, "focus": ["kan-code", "codehow"]}}
    assert list(plugins) == ["search", "kam"]  # mkdocs.yml's order; the disabled one left out, as mkdocs would
    config.write_text(config.read_text().replace("  - kam:", "  - tags:", 1))
    with pytest.raises(KamError, match="lists no `kam` plugin") as missing:
        focused_plugins(repo, ("kan-code",))
    assert missing.value.exit_code is ExitCode.USAGE


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    from pathlib import Path

    from account_playbooks.site.publish import swap_in

    site, built = tmp_path / "site", tmp_path / ".site.building-x"
    site.mkdir()
    (site / "index.html").write_text("previous")
    built.mkdir()
    (built / "index.html").write_text("new")
    real_rename = Path.rename

    def rename(self, target):
        if self == built:
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        swap_in(built, site)
    assert (site / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.building-x", "site"]


