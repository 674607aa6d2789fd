"""The kam command line: exit codes, output formats, stdout kept clean, scaffolding that never overwrites."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from account_playbooks.cli.commands import main

from .corpus import BASE, TODAY


def kam(repo, *args, env=None):
    return CliRunner().invoke(main, ["--root", str(repo), *args], env=env or {})


@pytest.fixture
def repo(tmp_path):
    target = tmp_path / "repo"
    shutil.copytree(BASE, target)
    return target


def break_role(repo):
    path = repo / "accounts" / "kan-code" / "stakeholders.yml"
    path.write_text(path.read_text().replace("role: champion", "role: champoin", 1))


def test_validate_clean_exits_0(repo):
    result = kam(repo, "validate", "--today", TODAY)
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 errors, 0 warnings" in result.stderr


def test_validate_starts_without_the_site_and_table_libraries(repo):
    """`kam validate` is the pre-commit hook: it must not pay for pandas, mkdocs or rich."""
    import subprocess
    import sys

    probe = ("import sys\nfrom account_playbooks.cli.commands import main\n"
             "try:\n    main(['--root', sys.argv[1], 'validate', '--today', sys.argv[2]])\n"
             "except SystemExit as end:\n    assert end.code == 0, end.code\n"
             "print(' '.join(sorted(m for m in ('pandas', 'numpy', 'mkdocs', 'rich', 'jinja2') if m in sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", probe, str(repo), TODAY], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stderr
    assert result.stdout.strip() == ""


def test_validate_errors_exit_1_and_github_format(repo):
    break_role(repo)
    result = kam(repo, "validate", "--today", TODAY, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=accounts/kan-code/stakeholders.yml,line=")
    assert ",title=E104::'role' must be one of" in result.stdout


def test_github_format_is_automatic_under_github_actions(repo):
    break_role(repo)
    result = kam(repo, "validate", "--today", TODAY, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error ")


def test_json_format(repo):
    break_role(repo)
    rows = json.loads(kam(repo, "validate", "--today", TODAY, "--format", "json").stdout)
    assert rows[0]["code"] == "E104" and rows[0]["path"] == "accounts/kan-code/stakeholders.yml"
    assert set(rows[0]) == {"path", "line", "column", "severity", "code", "message"}


def lose_champion(repo):
    """A warning about the files themselves: the key account kan-code has no champion (W305)."""
    path = repo / "accounts" / "kan-code" / "stakeholders.yml"
    path.write_text(path.read_text().replace("role: champion", "role: influencer", 1))


def test_strict_exits_3_on_warnings_only(repo):
    """3, not 2: click's usage errors are 2, and a workflow must tell a typo from a warning."""
    lose_champion(repo)
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0
    result = kam(repo, "validate", "--today", TODAY, "--strict")
    assert result.exit_code == 3 and "warning[W305]" in result.stdout


def test_strict_reports_but_does_not_stop_on_what_the_calendar_brings(repo):
    """A year later every key account is overdue and actions are past due, with no file changed:
    --strict prints them and passes, unless criteria.yml raised one to an error."""
    result = kam(repo, "validate", "--today", "2027-11-24", "--strict")
    assert result.exit_code == 0 and "warning[W301]" in result.stdout and "warning[W308]" in result.stdout
    criteria = repo / "criteria.yml"
    criteria.write_text(criteria.read_text() + "severity:\n  W301: error\n")
    raised = kam(repo, "validate", "--today", "2027-11-24", "--strict")
    assert raised.exit_code == 1 and "error[W301]" in raised.stdout


def test_today_must_be_a_date(repo):
    result = kam(repo, "validate", "--today", "tomorrow")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_score_csv_is_clean_on_stdout(repo):
    result = kam(repo, "score", "--csv", "--today", TODAY)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["account"] for r in rows] == ["kan-code", "codehow", "acme-corporation", "bluth-company"]
    assert rows[0]["score"] == "9.20" and rows[0]["tier"] == "platinum"
    assert rows[3]["watch"] == "promotion"
    assert "contribution.revenue_potential" in rows[0] and "health" in rows[0]


def test_score_json_filters_and_sorts(repo):
    result = kam(repo, "score", "--json", "--tier", "gold", "--sort", "account", "--today", TODAY)
    assert [r["account"] for r in json.loads(result.stdout)] == ["acme-corporation", "codehow"]


def test_score_what_if_weights(repo):
    result = kam(repo, "score", "--csv", "--weights", "revenue_potential=10,growth_outlook=60", "--today", TODAY)
    assert result.exit_code == 0
    rows = {r["account"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert set(rows["kan-code"]) >= {"tier", "new_tier", "changed"}
    assert "would change tier" in result.stderr
    bad = kam(repo, "score", "--weights", "revenue_potentail=10", "--today", TODAY)
    assert bad.exit_code == 2 and "unknown criteria" in bad.stderr
    zero = "revenue_potential=0,strategic_fit=0,relationship_strength=0,growth_outlook=0"
    assert kam(repo, "score", "--weights", zero, "--today", TODAY).exit_code == 2
    assert kam(repo, "score", "--weights", "revenue_potential=nan", "--today", TODAY).exit_code == 2
    huge = kam(repo, "score", "--weights", "revenue_potential=1e308,strategic_fit=1e308", "--today", TODAY)
    assert huge.exit_code == 2 and "from 0 to 1000" in huge.stderr  # their sum would be infinite


@pytest.mark.parametrize("tier", ["gold", "Gold", "GOLD", " gold "])
def test_score_tier_filter_takes_ids_and_names_in_any_case(repo, tier):
    result = kam(repo, "score", "--csv", "--tier", tier, "--today", TODAY)
    assert result.exit_code == 0
    assert [r["account"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["codehow", "acme-corporation"]


def test_score_tier_filter_standard_and_what_if(repo):
    standard = kam(repo, "score", "--csv", "--tier", "Standard", "--today", TODAY)
    assert [r["account"] for r in csv.DictReader(io.StringIO(standard.stdout))] == ["bluth-company"]
    what_if = kam(repo, "score", "--csv", "--tier", "Platinum", "--weights", "revenue_potential=60", "--today", TODAY)
    assert {r["account"]: r["new_tier"] for r in csv.DictReader(io.StringIO(what_if.stdout))} == {
        "kan-code": "platinum", "codehow": "platinum"}


def test_score_unknown_tier_is_a_usage_error_with_a_suggestion(repo):
    result = kam(repo, "score", "--tier", "Gld", "--today", TODAY)
    assert result.exit_code == 2 and result.stdout == ""
    assert ("Invalid value for --tier: unknown tier 'Gld'; choose from platinum, gold, silver, standard, candidate; "
            "did you mean 'gold'?") in result.stderr


def _score_table(repo, columns: int) -> list[str]:
    result = kam(repo, "score", "--today", TODAY, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= columns
    return lines


def _row(lines: list[str], account: str) -> list[str]:
    line = next(line for line in lines if line.startswith(f"│{account} "))
    return [cell.strip() for cell in line.strip("│").split("│")]


@pytest.mark.parametrize("columns", [80, 120])
def test_score_table_never_cuts_account_score_or_tier(repo, columns):
    lines = _score_table(repo, columns)
    assert _row(lines, "acme-corporation")[:3] == ["acme-corporation", "7.15", "gold"]
    assert _row(lines, "bluth-company")[:3] == ["bluth-company", "4.85", "standard"]
    assert _row(lines, "kan-code")[:3] == ["kan-code", "9.20", "platinum"]


def test_score_table_leaves_out_columns_that_do_not_fit_and_says_so(repo):
    narrow = "\n".join(_score_table(repo, 80))
    assert "+growth_outlook" not in narrow.split("Not shown")[0]
    assert "Not shown at this width: closing_move, +revenue_potential, +strategic_fit," in narrow
    wide = _score_table(repo, 120)
    assert _row(wide, "codehow")[:5] == ["codehow", "7.75", "gold", "platinum", "0.25"]
    assert _row(wide, "codehow")[5] == "raise"  # closing_move wraps at spaces instead of being cut
    everything = "\n".join(_score_table(repo, 200))
    assert "Not shown" not in everything and "raise revenue_potential from 9 to 10" in everything


def test_score_refuses_invalid_repo(repo):
    break_role(repo)
    result = kam(repo, "score", "--today", TODAY)
    assert result.exit_code == 1 and "E104" in result.stderr and result.stdout == ""


def test_new_account_scaffold_is_valid_and_never_overwrites(repo):
    result = kam(repo, "new", "account", "northwind-logistics", "--owner", "reed-clapper", "--today", TODAY)
    assert result.exit_code == 0, result.output
    folder = repo / "accounts" / "northwind-logistics"
    assert {p.name for p in folder.iterdir()} == {"account.yml", "stakeholders.yml", "goals.yml", "strategy.md", "reviews"}
    plan = (folder / "strategy.md").read_text()
    for section in ("## Relationships", "## Customer's Business", "## Account Goals", "## Account Strategy"):
        assert section in plan
    assert kam(repo, "validate", "--today", TODAY).exit_code == 0
    before = (folder / "account.yml").read_text()
    again = kam(repo, "new", "account", "northwind-logistics", "--today", TODAY)
    assert again.exit_code == 2 and "kam new account: accounts/northwind-logistics already exists" in again.stderr
    assert (folder / "account.yml").read_text() == before


def test_new_account_rejects_bad_ids_and_owners(repo):
    assert kam(repo, "new", "account", "Northwind_Logistics").exit_code == 2
    too_long = kam(repo, "new", "account", "n" * 300)  # was OSError: File name too long
    assert too_long.exit_code == 2 and "is 300 characters long; ids have at most 64" in too_long.stderr
    reserved = kam(repo, "new", "account", "nul")  # accounts/nul/ cannot be checked out on Windows
    assert reserved.exit_code == 2 and "Windows reserves the name for a device" in reserved.stderr
    assert not (repo / "accounts" / "nul").exists()
    assert kam(repo, "new", "account", "n" * 64, "--owner", "reed-clapper").exit_code == 0  # the limit itself is fine
    assert kam(repo, "new", "account", "northwind", "--owner", "nobody").exit_code == 2


def test_schema_check_detects_drift(tmp_path, repo):
    out = tmp_path / "schemas"
    assert kam(repo, "schema", "--out", str(out)).exit_code == 0
    assert kam(repo, "schema", "--out", str(out), "--check").exit_code == 0
    (out / "team.schema.json").write_text("{}")
    assert kam(repo, "schema", "--out", str(out), "--check").exit_code == 1
    refused = kam(repo, "schema", "--out", str(out))  # refuses to overwrite without --force: a usage error
    assert refused.exit_code == 2 and "team.schema.json differs; use --force to overwrite it" in refused.stderr
    assert kam(repo, "schema", "--out", str(out), "--force").exit_code == 0


def test_build_never_empties_a_folder_of_user_files(repo, tmp_path):
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "important.txt").write_text("do not delete")
    result = kam(repo, "build", "--site-dir", str(keep), "--today", TODAY)
    assert result.exit_code == 2 and "not empty" in result.stderr
    assert (keep / "important.txt").read_text() == "do not delete"
    assert kam(repo, "build", "--site-dir", str(repo), "--today", TODAY).exit_code == 2
    assert (repo / "criteria.yml").exists()


@pytest.mark.parametrize("command", [["validate"], ["score"], ["build"], ["serve"], ["new", "account", "x"]])
def test_outside_a_repository_commands_say_so(tmp_path, command):
    result = CliRunner().invoke(main, ["--root", str(tmp_path), *command])
    assert result.exit_code == 2
    assert f"no criteria.yml in {tmp_path.resolve()}; run from the repository root or pass --root" in result.stderr
    assert "Traceback" not in result.output and not any(tmp_path.iterdir())


def test_the_publish_workflow_builds_strictly_for_the_pages_url_and_deploys_only_after_it():
    """The workflow cannot run here; what it promises is read from it: full history, a strict
    build at the Pages address with options `kam build` has, and a deploy that waits for it."""
    import shlex

    import yaml

    from .sitebuild import PROJECT

    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}  # the job that builds cannot deploy
    assert deploy["needs"] == "build"
    steps = {step.get("uses", "run").split("@")[0]: step for step in build["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    run = next(step for step in build["steps"] if step.get("run", "").startswith("kam build"))
    words = shlex.split(run["run"])
    assert "--strict" in words and words[words.index("--site-url") + 1] == "$PAGES_URL"
    step_id = steps["actions/configure-pages"]["id"]
    assert run["env"]["PAGES_URL"] == "${{ steps." + step_id + ".outputs.base_url }}"
    known = {opt for param in main.commands["build"].params for opt in param.opts}
    assert {w for w in words if w.startswith("--")} <= known
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == words[words.index("--site-dir") + 1]


# -- one error model, one exit-code table ---------------------------------------------------------

def _clean(repo, tmp_path):
    return kam(repo, "validate", "--today", TODAY)


def _errors(repo, tmp_path):
    break_role(repo)
    return kam(repo, "validate", "--today", TODAY)


def _usage(repo, tmp_path):
    return kam(repo, "validate", "--no-such-option")


def _strict(repo, tmp_path):
    lose_champion(repo)
    return kam(repo, "build", "--strict", "--site-dir", str(tmp_path / "site"), "--today", TODAY)


def _environment(repo, tmp_path):
    """The file system refuses: a file stands where kam init must make a folder."""
    target = tmp_path / "new"
    target.mkdir()
    (target / "schemas").write_text("a file where a folder is needed", encoding="utf-8")
    return kam(repo, "init", str(target))


EXITS = {0: _clean, 1: _errors, 2: _usage, 3: _strict, 4: _environment}


@pytest.mark.parametrize("code", sorted(EXITS))
def test_every_exit_code_of_the_table_is_what_a_command_ends_with(repo, tmp_path, code):
    from account_playbooks.core.errors import EXIT_CODES

    assert sorted(EXITS) == sorted(EXIT_CODES)
    result = EXITS[code](repo, tmp_path)
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if code == 4:
        assert result.stderr.startswith("kam init: cannot write into ") and "nothing was changed" in result.stderr
        assert result.stdout == ""


USER_ERRORS = {
    "new account over an existing one": (["new", "account", "kan-code"], 2, "kam new account: accounts/kan-code"),
    "render into the repository": (["render", "--out", "."], 2, "kam render: "),
    "diff outside git": (["diff"], 2, "is not a git repository; there is nothing to compare with"),
    "accept an unknown account": (["import", "accept", "nope"], 2, "kam import accept: no valid account 'nope'"),
    "import a missing export": (["import", "crm", "no-such-export"], 1, "kam import crm: 1 error, 0 warnings in"),
    "an unknown tier": (["score", "--tier", "Gld"], 2, "Invalid value for --tier"),
    "init over a repository": (["init"], 2, "kam init: "),
    "focus on an unknown account": (["serve", "--focus", "kan-cod"], 2, "kam serve: no account 'kan-cod'"),
}


@pytest.mark.parametrize("case", USER_ERRORS, ids=list(USER_ERRORS))
def test_a_user_error_is_one_message_and_its_exit_code_never_a_traceback(repo, monkeypatch, case):
    args, code, said = USER_ERRORS[case]
    monkeypatch.chdir(repo)
    result = kam(repo, *args, "--today", TODAY) if args[0] not in ("init", "serve") else kam(repo, *args)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # CliRunner keeps any other exception
    assert said in result.stderr and "Traceback" not in result.output


def test_root_is_taken_after_the_command_too(repo, tmp_path, monkeypatch):
    """The README says every command takes --root: `kam validate --root X` as well as `kam --root X validate`."""
    monkeypatch.chdir(tmp_path)  # not a repository
    after = CliRunner().invoke(main, ["validate", "--root", str(repo), "--today", TODAY])
    assert after.exit_code == 0, after.output
    assert "kam validate: 4 accounts, 0 errors, 0 warnings" in after.stderr
    nested = CliRunner().invoke(main, ["new", "account", "northwind", "--owner", "reed-clapper", "--root", str(repo),
                                       "--today", TODAY])
    assert nested.exit_code == 0 and (repo / "accounts" / "northwind" / "account.yml").exists()
    # The one after the command's name wins: it is the nearer of the two.
    both = CliRunner().invoke(main, ["--root", str(tmp_path), "score", "--root", str(repo), "--csv", "--today", TODAY])
    assert both.exit_code == 0 and both.stdout.startswith("account,")
    assert "--root DIRECTORY" in CliRunner().invoke(main, ["history", "--help"]).stdout


def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"kam {version('account-playbooks')}\n"


# -- output a person can act on: the count by code, errors apart ----------------------------------

def test_validate_counts_the_warnings_by_code_and_says_where_to_start(repo):
    result = kam(repo, "validate", "--today", "2027-11-24", "--format", "text")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 22
    assert result.stderr == (
        "kam validate: 4 accounts, 0 errors, 22 warnings\n"
        "  12  W308 warning  Review action past due\n"
        "   6  W307 warning  Goal past due\n"
        "   3  W301 warning  Review overdue\n"
        "   1  W312 warning  Renewal without executive review\n"
        "Start with accounts/acme-corporation: 7 of the 22 warnings, the most of any account or file.\n")


def test_errors_only_prints_the_errors_and_counts_the_rest_in_one_line(repo):
    break_role(repo)
    result = kam(repo, "validate", "--today", "2027-11-24", "--format", "text", "--errors-only")
    assert result.exit_code == 1
    assert result.stdout == ("accounts/kan-code/stakeholders.yml:25:9: error[E104] 'role' must be one of decision_maker, "
                             "economic_buyer, influencer, champion, user, gatekeeper, blocker; got 'champoin'; did you "
                             "mean 'champion'?\n")
    assert result.stderr == ("kam validate: 4 accounts, 1 error; 22 warnings not shown (--errors-only)\n"
                             "  1  E104 error    Value not allowed\n")


def test_errors_only_keeps_the_exit_code_of_the_whole_run(repo):
    lose_champion(repo)
    result = kam(repo, "validate", "--today", TODAY, "--errors-only", "--strict")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr == "kam validate: 4 accounts, 0 errors; 1 warning not shown (--errors-only)\n"


def test_a_hostile_folder_name_stays_inert_in_the_count(repo):
    hostile = "a\x1b]0;pwned\x07"
    (repo / "accounts" / "codehow").rename(repo / "accounts" / hostile)
    result = kam(repo, "validate", "--today", TODAY, "--format", "text")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Start with accounts/a\\x1b]0;pwned\\x07: 1 of the 3 errors, the most of any account or file.")
    assert "\x1b" not in result.stderr + result.stdout and "\x07" not in result.stderr + result.stdout


def test_a_notice_is_shown_and_lets_strict_through(repo, tmp_path):
    """The gate both workflows run: criteria.yml decides that a missing champion does not stop it.
    (A strict build with notices, to a published site, is tests/test_init.py's new team.)"""
    lose_champion(repo)
    refused = kam(repo, "build", "--strict", "--site-dir", str(tmp_path / "site"), "--today", TODAY)
    assert refused.exit_code == 3 and "  1  W305 warning  No champion mapped\n" in refused.stderr  # the build's count
    criteria = repo / "criteria.yml"
    criteria.write_text(criteria.read_text() + "severity:\n  W305: notice\n")
    checked = kam(repo, "validate", "--today", TODAY, "--strict", "--format", "text")
    assert checked.exit_code == 0 and " notice[W305] " in checked.stdout
    assert checked.stderr == ("kam validate: 4 accounts, 0 errors, 0 warnings, 1 notice\n"
                              "  1  W305 notice   No champion mapped\n")
