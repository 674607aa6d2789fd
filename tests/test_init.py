"""`kam init`: a new repository that validates and builds with no account, never overwrites
without --force, and is written all or none."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from account_playbooks.cli.commands import main
from account_playbooks.scaffold.repository import PLACEHOLDER, generator_requirement, requirement_from, starter_files

from .sitebuild import PROJECT

pytestmark = pytest.mark.slow  # builds new repositories' sites and installs the generator with pip

TODAY = "2026-11-24"


def kam(root: Path, *args: str):
    return CliRunner().invoke(main, ["--root", str(root), *args])


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_new_repository_validates_and_builds_strictly_with_no_account(tmp_path):
    repo = tmp_path / "playbooks"
    result = kam(tmp_path, "init", str(repo), "--name", "Northwind key accounts")
    assert result.exit_code == 0, result.stderr
    for name in ("criteria.yml", "team.yml", "mkdocs.yml", "README.md", "requirements.txt", "accounts/README.md",
                 ".pre-commit-config.yaml", ".gitignore", ".github/workflows/validate.yml",
                 ".github/workflows/pr-diff.yml", ".github/workflows/publish.yml", "schemas/account.schema.json",
                 "site_templates/account.md.j2", "playbook/index.md"):
        assert (repo / name).is_file(), name
    assert yaml.safe_load((repo / "team.yml").read_text(encoding="utf-8")) == []
    assert "site_name: Northwind key accounts\n" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    checked = kam(repo, "validate", "--strict", "--today", TODAY)
    assert checked.exit_code == 0 and checked.stdout == "", checked.stdout
    assert "0 accounts, 0 errors, 0 warnings" in checked.stderr
    built = kam(repo, "build", "--strict", "--today", TODAY)
    assert built.exit_code == 0, built.stderr
    assert (repo / "site" / "index.html").is_file() and (repo / "site" / "playbook" / "index.html").is_file()


def test_the_new_repository_schemas_are_the_ones_kam_schema_writes(tmp_path):
    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    assert kam(repo, "schema", "--check").exit_code == 0


def test_the_new_repository_takes_a_first_account(tmp_path):
    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    team = repo / "team.yml"
    team.write_text(team.read_text(encoding="utf-8").replace(
        "\n[]\n", "\n- id: jane-doe\n  name: Jane Doe\n  role: Key account manager\n  email: jane.doe@example.com\n"),
        encoding="utf-8")
    assert kam(repo, "new", "account", "northwind", "--today", TODAY).exit_code == 0
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0


def test_init_never_overwrites_and_lists_what_is_in_the_way(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "criteria.yml").write_text("# ours\n", encoding="utf-8")
    (repo / "notes.txt").write_text("unrelated\n", encoding="utf-8")
    (repo / "playbook").mkdir()
    (repo / "playbook" / "index.md").write_text("# Ours\n", encoding="utf-8")
    before = tree_hash(repo)
    result = kam(repo, "init")
    assert result.exit_code == 2
    assert "already has 2 of the files a new repository needs; nothing was written" in result.stderr
    assert "  criteria.yml\n" in result.stderr and "  playbook/index.md\n" in result.stderr
    assert tree_hash(repo) == before


def test_force_overwrites_the_listed_files_and_nothing_else(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "criteria.yml").write_text("# ours\n", encoding="utf-8")
    (repo / "notes.txt").write_text("unrelated\n", encoding="utf-8")
    result = kam(repo, "init", "--force")
    assert result.exit_code == 0, result.stderr
    assert (repo / "notes.txt").read_text(encoding="utf-8") == "unrelated\n"
    assert (repo / "criteria.yml").read_text(encoding="utf-8") == starter_files()["criteria.yml"]
    assert not [p for p in repo.iterdir() if p.name.startswith(".kam-staging")]
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0


def test_a_file_where_the_repository_should_be_is_refused(tmp_path):
    target = tmp_path / "repo"
    target.write_text("not a folder\n", encoding="utf-8")
    result = kam(tmp_path, "init", str(target))
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder\n"


def test_the_workflows_are_this_repositorys_own_installing_from_requirements():
    """The starter's workflows follow this project's: the same steps, except that a team's
    repository installs the generator named in requirements.txt instead of itself."""
    files = starter_files()
    install = re.compile(r"^      - run: pip install -c requirements/ci\.txt( -e)? \.$", re.MULTILINE)
    for name in ("validate", "pr-diff", "publish", "digest"):
        ours = (PROJECT / ".github" / "workflows" / f"{name}.yml").read_text(encoding="utf-8")
        expected = install.sub("      - run: pip install -r requirements.txt -c constraints.txt   # the generator, as "
                               "pinned there, and its dependencies, as locked", ours)
        assert files[f".github/workflows/{name}.yml"] == expected, name
    ours = (PROJECT / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    assert files[".github/dependabot.yml"] == ours.replace("pyproject.toml names", "requirements.txt names")


# The least each job needs: reading the checkout, commenting on the pull request from a job that
# runs none of its code, and publishing Pages from a job that builds nothing.
LEAST_PERMISSIONS = {
    ("validate", "validate"): {"contents": "read"},
    ("pr-diff", "diff"): {"contents": "read"},
    ("pr-diff", "comment"): {"pull-requests": "write"},
    ("publish", "build"): {"contents": "read", "pages": "read"},
    ("publish", "deploy"): {"pages": "write", "id-token": "write"},
    ("tests", "test"): {"contents": "read"},  # ours only: the generator's own suite
    ("digest", "digest"): {"contents": "read"},
    ("digest", "issue"): {"issues": "write"},
}


def _workflows() -> dict[str, str]:
    ours = {f"ours/{p.stem}": p.read_text(encoding="utf-8") for p in (PROJECT / ".github" / "workflows").glob("*.yml")}
    starter = {f"starter/{Path(k).stem}": v for k, v in starter_files().items() if k.startswith(".github/workflows/")}
    return {**ours, **starter}


def test_every_workflow_declares_the_least_permissions_each_job_needs():
    workflows = _workflows()
    assert len(workflows) == 9
    for name, text in workflows.items():
        workflow = yaml.safe_load(text)
        assert isinstance(workflow.get("permissions"), dict), f"{name}: no permissions block of its own"
        for job_id, job in workflow["jobs"].items():
            effective = job.get("permissions", workflow["permissions"])
            assert effective == LEAST_PERMISSIONS[(name.split("/")[1], job_id)], (name, job_id, effective)


def test_the_comment_job_takes_over_only_the_bots_own_comment():
    for name, text in _workflows().items():
        if name.endswith("pr-diff"):
            script = yaml.safe_load(text)["jobs"]["comment"]["steps"][-1]["with"]["script"]
            assert 'c.user.login === "github-actions[bot]" && c.user.type === "Bot"' in script
            assert "c.body.startsWith(marker)" in script


def test_the_digest_job_takes_over_only_the_bots_own_issue_and_closes_it_when_nothing_is_left():
    for name, text in _workflows().items():
        if name.endswith("/digest"):
            workflow = yaml.safe_load(text)
            assert set(workflow[True]) == {"schedule", "workflow_dispatch"}  # PyYAML reads `on` as true
            assert all("run" not in step for step in workflow["jobs"]["issue"]["steps"])  # runs no repository code
            script = workflow["jobs"]["issue"]["steps"][-1]["with"]["script"]
            assert 'i.user.login === "github-actions[bot]" && i.user.type === "Bot"' in script
            assert "i.body.startsWith(marker)" in script and 'const marker = "<!-- kam-digest -->"' in script
            assert 'needed ? "open" : "closed"' in script


def test_dependabot_keeps_the_actions_and_the_python_packages_current():
    for text in ((PROJECT / ".github" / "dependabot.yml").read_text(encoding="utf-8"),
                 starter_files()[".github/dependabot.yml"]):
        config = yaml.safe_load(text)
        assert config["version"] == 2
        assert {(u["package-ecosystem"], u["directory"]) for u in config["updates"]} == {("github-actions", "/"),
                                                                                        ("pip", "/")}
        assert all(u["schedule"]["interval"] for u in config["updates"])


def _requirement_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_requirements_never_name_the_generator_by_a_bare_name_an_index_could_answer():
    (line,) = _requirement_lines(starter_files()["requirements.txt"])
    assert line.startswith("account-playbooks @ ") and "==" not in line


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("record, expected", [
    ({"url": "https://github.com/acme/account-playbooks.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT,
                                                                           "requested_revision": "v0.1.0"}},
     f"account-playbooks @ git+https://github.com/acme/account-playbooks.git@{COMMIT}"),
    ({"url": "https://files.example.com/account_playbooks-0.1.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "ab" * 32}}},
     f"account-playbooks @ https://files.example.com/account_playbooks-0.1.0-py3-none-any.whl#sha256={'ab' * 32}"),
    ({"url": "file:///home/me/account-playbooks", "dir_info": {"editable": True}},
     "account-playbooks @ file:///home/me/account-playbooks"),
    ({"url": "https://example.com/x.git", "vcs_info": {"vcs": "git", "commit_id": "main"}}, PLACEHOLDER),
    ({"url": "https://example.com/x.whl\naccount-playbooks==9", "archive_info": {}}, PLACEHOLDER),
    (None, PLACEHOLDER),
])
def test_the_requirement_is_where_pip_recorded_the_generator_came_from(record, expected):
    assert requirement_from(record) == expected


def test_with_no_record_the_placeholder_stops_pip_and_says_what_to_do(tmp_path):
    import subprocess
    import sys

    (tmp_path / "requirements.txt").write_text(starter_files()["requirements.txt"].replace(
        generator_requirement(), PLACEHOLDER), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "download", "--no-deps",
                           "--no-index", "--retries", "0", "--timeout", "5", "-d", str(tmp_path / "d"),
                           "-r", str(tmp_path / "requirements.txt")], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "set-the-generator-url-in-requirements-txt" in done.stdout + done.stderr


def test_the_starter_playbook_links_to_no_example_account():
    pages = {k: v for k, v in starter_files().items() if k.startswith("playbook/")}
    assert pages and not any("account_link(" in text or "[[" in text for text in pages.values())
    nav = yaml.safe_load(starter_files()["mkdocs.yml"].replace("!!python", ""))["nav"]
    listed = {p for section in nav for v in section.values() if isinstance(v, list)
              for item in v for p in ([item] if isinstance(item, str) else item.values())}
    assert {f"playbook/{Path(k).name}" for k in pages} <= listed


def test_an_installed_generator_carries_its_templates_and_starts_a_repository(tmp_path):
    """pip installs a wheel, not this checkout: the site templates, the starter kit and the theme
    overrides must be inside it, or `kam init` from a package index or a git URL cannot work."""
    import os
    import shutil
    import subprocess
    import sys

    source, wheels, target, repo = (tmp_path / name for name in ("source", "wheels", "installed", "team"))
    # A copy of what the package is built from: the build leaves its work folders in the source.
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(PROJECT / name, source)
    for name in ("generator", "site_templates"):
        shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True, capture_output=True,
                   timeout=300)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))],
                   check=True, capture_output=True, timeout=300)
    installed = target / "account_playbooks"
    assert sorted(p.name for p in (installed / "site_templates").glob("*.j2")) == \
        sorted(p.name for p in (PROJECT / "site_templates").glob("*.j2"))
    assert (installed / "site_templates" / "assets" / "kam.css").is_file()
    assert (installed / "site" / "overrides" / "main.html").is_file()
    assert (installed / "scaffold" / "starter" / "workflows").is_dir()
    # The installed package comes first on the path; its dependencies come from this environment.
    probe = ("import sys, account_playbooks\nfrom account_playbooks.cli.commands import main\n"
             "assert account_playbooks.__file__.startswith(sys.argv[1]), account_playbooks.__file__\n"
             "main(['init', sys.argv[2]])\n")
    env = dict(os.environ, PYTHONPATH=str(target))
    done = subprocess.run([sys.executable, "-c", probe, str(target), str(repo)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (repo / "site_templates" / "account.md.j2").read_text(encoding="utf-8") == \
        (PROJECT / "site_templates" / "account.md.j2").read_text(encoding="utf-8")
    # The new repository installs the very wheel it was made with, by its URL and hash, from no index.
    (wheel,) = wheels.glob("*.whl")
    (line,) = _requirement_lines((repo / "requirements.txt").read_text(encoding="utf-8"))
    assert line == f"account-playbooks @ {wheel.as_uri()}#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}"
    fetched = subprocess.run([*pip, "download", "--no-deps", "--no-index", "-d", str(tmp_path / "fetched"), "-r",
                              str(repo / "requirements.txt")], capture_output=True, text=True, timeout=120)
    assert fetched.returncode == 0 and (tmp_path / "fetched" / wheel.name).is_file(), fetched.stderr


# -- one gate, workflows that run, a first week that publishes ----------------------------------------

def _yaml(files: dict[str, str], name: str) -> dict:
    return yaml.safe_load(files[name])


def _runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def _kam_build(workflow: dict) -> list[str]:
    """The `kam build` of a workflow, its words without the Pages address (which only publishing has)."""
    import shlex

    (line,) = [run for run in _runs(workflow) if run.startswith("kam build")]
    words = shlex.split(line, comments=True)
    if "--site-url" in words:
        del words[words.index("--site-url"):words.index("--site-url") + 2]
    return words


def test_the_pull_request_gate_is_the_publish_gate():
    """What passes a pull request publishes: the same strict build, and the annotated check before it
    is strict too. Here and in the starter."""
    for files in (starter_files(), {f".github/workflows/{p.name}": p.read_text(encoding="utf-8")
                                    for p in (PROJECT / ".github" / "workflows").glob("*.yml")}):
        pull_request, publish = _yaml(files, ".github/workflows/validate.yml"), _yaml(files, ".github/workflows/publish.yml")
        assert _kam_build(pull_request) == _kam_build(publish) == ["kam", "build", "--strict", "--site-dir", "site"]
        assert "kam validate --strict" in _runs(pull_request)
        assert "pull_request" in pull_request[True]  # PyYAML reads `on` as true


def test_the_pre_commit_hook_installs_the_generator_requirements_txt_names(monkeypatch):
    """pre-commit makes the hook's environment from additional_dependencies: the very line CI installs,
    read back intact even with a `#sha256=` that YAML would otherwise take for a comment."""
    import account_playbooks.scaffold.repository as repository

    wheel = f"account-playbooks @ https://files.example.com/account_playbooks-0.1.0-py3-none-any.whl#sha256={'ab' * 32}"
    for requirement in (generator_requirement(), wheel, PLACEHOLDER):
        monkeypatch.setattr(repository, "generator_requirement", lambda requirement=requirement: requirement)
        files = starter_files()
        (hook,) = _yaml(files, ".pre-commit-config.yaml")["repos"][0]["hooks"]
        assert hook["language"] == "python"
        assert hook["additional_dependencies"] == _requirement_lines(files["requirements.txt"]) == [requirement]
        assert hook["entry"] == "kam validate --errors-only"
        known = {opt for param in main.commands["validate"].params for opt in param.opts}
        assert set(hook["entry"].split()[2:]) <= known


def test_the_workflows_pass_an_independent_linter(tmp_path):
    """check-jsonschema with the GitHub Actions schemas it ships (SchemaStore's, no network): this
    project's workflows and a new repository's, and both Dependabot files. The linter is shown a
    broken workflow first, so a linter that accepts anything would fail here."""
    import subprocess
    import sys

    linter = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema"]
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    step:\n      - run: kam build\n",
                      encoding="utf-8")
    refused = subprocess.run([*linter, "vendor.github-workflows", str(broken)], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1 and "'step' was unexpected" in refused.stdout
    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    workflows = [*sorted((PROJECT / ".github" / "workflows").glob("*.yml")),
                 *sorted((repo / ".github" / "workflows").glob("*.yml"))]
    assert len(workflows) == 9
    for schema, paths in (("vendor.github-workflows", workflows),
                          ("vendor.dependabot", [PROJECT / ".github" / "dependabot.yml",
                                                 repo / ".github" / "dependabot.yml"])):
        done = subprocess.run([*linter, schema, *map(str, paths)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr


# What the runner puts where a step's env names an expression: the values a test run stands for.
EXPRESSIONS = {"${{ steps.pages.outputs.base_url }}": "https://example.github.io/accounts",
               "${{ github.base_ref }}": "main"}


def _installs_from_the_lock(repo: Path, line: str) -> None:
    """The install step installs requirements.txt under constraints.txt; the generator already
    installed here stands for it only because every pin of that lock that applies is what is installed."""
    import shlex
    from importlib import metadata

    from packaging.requirements import Requirement

    words = shlex.split(line, comments=True)
    assert words[:2] == ["pip", "install"], line
    assert words[words.index("-r") + 1] == "requirements.txt" and words[words.index("-c") + 1] == "constraints.txt"
    pins = [Requirement(text.split("#")[0]) for text in (repo / "constraints.txt").read_text(encoding="utf-8")
            .splitlines() if text and not text.startswith(("#", " "))]
    assert len(pins) > 20
    for pin in pins:
        if pin.marker is None or pin.marker.evaluate():
            assert metadata.version(pin.name) == str(pin.specifier)[2:], pin


def run_workflow(repo: Path, name: str, event: str) -> list[tuple[str, object]]:
    """Every `run:` of the repository's workflow `name`, in order, as the runner would on `event`
    (bash -e, GITHUB_ACTIONS set, a step summary file); the install step checked, not run."""
    import os
    import subprocess
    import sys

    workflow = yaml.safe_load((repo / ".github" / "workflows" / f"{name}.yml").read_text(encoding="utf-8"))
    summary = repo.parent / f"{name}-summary.md"
    done = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" not in step:
                continue
            if "if" in step:  # the one condition the workflows use
                assert step["if"] == "github.event_name == 'pull_request'", step["if"]
                if event != "pull_request":
                    continue
            script = step["run"]
            assert "${{" not in script, script  # expressions reach a script through its environment only
            if script.startswith("pip install"):
                _installs_from_the_lock(repo, script)
                continue
            env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                   "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "KAM_TODAY": TODAY,
                   **{key: EXPRESSIONS[value] for key, value in step.get("env", {}).items()}}
            done.append((script, subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True,
                                                text=True, timeout=600)))
    return done


def _passed(runs) -> None:
    for script, result in runs:
        assert result.returncode == 0, f"{script}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def test_a_fresh_repositorys_workflows_install_from_its_lock_and_pass(tmp_path):
    """kam init, a first account on a pull request branch, then every `run:` of every workflow."""
    from .gitrepo import commit_all, git

    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "kam init", "2026-11-02T09:00:00Z")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # the clone's view of the base branch
    git(repo, "checkout", "-q", "-b", "first-account")
    team = repo / "team.yml"
    team.write_text(team.read_text(encoding="utf-8").replace(
        "\n[]\n", "\n- id: jane-doe\n  name: Jane Doe\n  role: Key account manager\n  email: jane.doe@example.com\n"),
        encoding="utf-8")
    assert kam(repo, "new", "account", "northwind", "--owner", "jane-doe", "--today", TODAY).exit_code == 0
    commit_all(repo, "Northwind", "2026-11-20T09:00:00Z")
    ran = {name: run_workflow(repo, name, event) for name, event in
           (("validate", "pull_request"), ("pr-diff", "pull_request"), ("publish", "push"), ("digest", "schedule"))}
    for runs in ran.values():
        _passed(runs)
    assert [len(runs) for runs in ran.values()] == [2, 2, 1, 2]  # every run step but the installs
    assert (repo / "site" / "index.html").is_file() and (repo / "site" / "accounts" / "northwind").is_dir()
    assert "northwind" in (repo / "kam-diff.md").read_text(encoding="utf-8")
    assert (repo / "kam-digest.md").is_file() and (tmp_path / "pr-diff-summary.md").stat().st_size > 0


def test_a_new_teams_first_week_ends_with_a_published_site(tmp_path):
    """The issue's path: kam init, the CRM sample imported, every proposal accepted, then the pull
    request's gate and the publish gate exactly as the workflows write them. The plan prompts and the
    rest of what a first week cannot have filled are notices in the starter's criteria.yml: shown,
    counted by code, and no reason to publish nothing."""
    from .test_import import SAMPLE

    repo = tmp_path / "repo"
    assert kam(tmp_path, "init", str(repo)).exit_code == 0
    assert kam(repo, "import", "crm", str(SAMPLE), "--today", TODAY).exit_code == 0
    assert kam(repo, "import", "accept", "--all", "--today", TODAY).exit_code == 0
    pull_request = run_workflow(repo, "validate", "pull_request")
    _passed(pull_request)
    checked = pull_request[0][1].stderr
    assert checked.startswith("kam validate: 85 accounts, 0 errors, 0 warnings, 542 notices\n"), checked
    assert "  425  W309 notice   Plan section still holds the template prompt\n" in checked
    assert "::notice file=accounts/" in pull_request[0][1].stdout  # annotations on the pull request
    shutil.rmtree(repo / "site")
    published = run_workflow(repo, "publish", "push")
    _passed(published)
    assert (repo / "site" / "index.html").is_file()
    assert len(list((repo / "site" / "accounts").glob("*/index.html"))) == 85
    # Without the starting set, the same gate refuses the same week: the notices are what let it publish.
    criteria = repo / "criteria.yml"
    criteria.write_text(criteria.read_text(encoding="utf-8").split("\nseverity:")[0] + "\n", encoding="utf-8")
    strict = kam(repo, "validate", "--strict", "--today", TODAY, "--format", "text")
    assert strict.exit_code == 3 and "0 errors, 542 warnings" in strict.stderr
