"""The validate stage against the bad-input corpus: exact diagnostics, exit codes, no tracebacks."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from account_playbooks.cli.commands import main

from .corpus import BASE, TODAY, load_cases, materialise, run, update, with_expected
from .corpus import CASES as CASE_DIR

CASES = load_cases()


def run_validate(repo, *args):
    result = CliRunner().invoke(main, ["--root", str(repo), "validate", "--today", TODAY, "--format", "text", *args])
    return result


def test_the_base_repo_is_clean():
    result = run_validate(BASE)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.exit_code == 0


def test_corpus_is_large():
    # That every code `kam validate` reports has a case is the registry's test (tests/test_codes.py).
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, tmp_path):
    repo = materialise(case, tmp_path)
    result = run_validate(repo, *case.args)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert result.stdout.splitlines() == case.expected, case.description
    assert result.exit_code == case.expected_exit


def test_the_example_portfolio_validates_cleanly():
    from .sitebuild import PROJECT

    result = run_validate(PROJECT, "--strict")
    assert result.stdout == "" and result.exit_code == 0


def test_update_mode_rewrites_only_the_expectation(tmp_path):
    case = next(c for c in CASES if c.expected)
    text = (CASE_DIR / f"{case.name}.yml").read_text(encoding="utf-8")
    assert with_expected(text, run(case, tmp_path)) == text  # the corpus is current
    edited = with_expected(text, ["something else"])
    assert edited.startswith(text[: text.index("\nexpected:")]) and edited.endswith("expected: |\n  something else\n")
    assert with_expected(text, []).endswith('expected: ""\n')



def test_update_mode_refuses_a_case_name_it_does_not_know():
    with pytest.raises(SystemExit, match="no such case: e204-unknwon-reports-to"):
        update(["e204-unknown-reports-to", "e204-unknwon-reports-to"])


def test_update_mode_never_records_a_crash_as_the_expectation(tmp_path, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr("account_playbooks.core.load.Reader.yaml", crash)
    with pytest.raises(RuntimeError, match="a bug of ours"):
        run(CASES[0], tmp_path)

def test_values_are_described_in_a_line_not_in_thousands_of_digits():
    from account_playbooks.validate.schema import describe

    assert describe(int("f" * 5000, 16)) == "a 6021-digit number"  # str() of it would raise
    assert describe("1" * 5000) == f"'{'1' * 40}…' (5,000 characters)"
    assert describe(10 ** 30) == "a 31-digit number" and describe(10 ** 19) == f"the number {10 ** 19}"


def test_a_rebuild_with_the_serve_cache_finds_what_a_fresh_check_finds(tmp_path):
    import datetime as dt

    from account_playbooks.scoring.check import BuildCache, check

    today = dt.date.fromisoformat(TODAY)
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    cache = BuildCache()
    assert check(repo, today, cache).diagnostics == check(repo, today).diagnostics
    stakeholders = repo / "accounts" / "codehow" / "stakeholders.yml"
    text = stakeholders.read_text(encoding="utf-8")
    stakeholders.write_text(text.replace("influence: high", "influence: enormous", 1), encoding="utf-8")
    cached, fresh = check(repo, today, cache), check(repo, today)
    assert cached.diagnostics == fresh.diagnostics and not cached.ok
    stakeholders.write_text(text, encoding="utf-8")
    assert check(repo, today, cache).ok


def test_diagnostic_lines_show_escape_sequences_in_text_and_github_formats():
    from account_playbooks.core.diagnostics import Diagnostic, format_github, format_text

    d = Diagnostic("accounts/a\x1b[2K/account.yml", 3, 5, "E204",
                   "unknown 'x\x1b]52;c;aGk=\x07\r\n::error::forged\u202e\x9b31m'")
    text, github = format_text(d), format_github(d)
    assert text == ("accounts/a\\x1b[2K/account.yml:3:5: error[E204] unknown "
                    "'x\\x1b]52;c;aGk=\\x07\\x0d\\x0a::error::forged\\u202e\\x9b31m'")
    assert github.startswith("::error file=accounts/a\\x1b[2K/account.yml,line=3")
    assert github.endswith("::unknown 'x\\x1b]52;c;aGk=\\x07\\x0d\\x0a::error::forged\\u202e\\x9b31m'")
    for line in (text, github):
        assert "\n" not in line and not any(0x80 <= ord(c) <= 0x9f or ord(c) < 0x20 or c == "\u202e" for c in line)


def _stakeholder(sid: str, reports_to: str) -> str:
    return (f"- id: {sid}\n  name: Person {sid}\n  title: Engineer\n  role: user\n  influence: low\n"
            f"  sentiment: neutral\n  reports_to: {reports_to}\n  relationship_owner: rocco-neubert\n")


@pytest.mark.slow  # times a chain of 5,000
def test_a_reports_to_chain_of_5000_is_checked_in_one_pass_and_its_loop_reported_at_each_member(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    path = repo / "accounts/kan-code/stakeholders.yml"
    text = path.read_text(encoding="utf-8").replace("reports_to: null", "reports_to: p4999", 1)
    chain = "".join(_stakeholder(f"p{i}", f"p{i - 1}" if i else "samuel-whitfield") for i in range(5000))
    path.write_text(text + chain, encoding="utf-8")
    lines = run_validate(repo).stdout.splitlines()
    loop = [line for line in lines if "[E208]" in line]
    # samuel-whitfield -> ... -> p4999 -> samuel-whitfield: 5,001 people, each reported at their reports_to
    assert len(loop) == 5001
    assert loop[0] == ("accounts/kan-code/stakeholders.yml:8:15: error[E208] reports_to forms a cycle: samuel-whitfield "
                       "-> p4999 -> p4998 -> p4997 -> p4996 -> p4995 -> p4994 -> p4993 -> p4992 -> p4991 -> p4990 "
                       "-> p4989 -> ... (4,989 more) -> samuel-whitfield")
    assert loop[-1].startswith(f"accounts/kan-code/stakeholders.yml:{text.count(chr(10)) + 5000 * 8 - 1}:15: error[E208] "
                               "reports_to forms a cycle: p4999 -> p4998 -> ")


@pytest.mark.slow  # times a chain of thousands
def test_cycles_are_found_in_one_walk_of_a_long_chain():
    from account_playbooks.validate.references import chain_text, cycle_from, cycles

    chain = {f"a{i}": f"a{i + 1}" for i in range(200_000)}  # ends at a200000, which goes nowhere
    assert cycles(chain) == {} and cycle_from("a0", chain) == []
    chain["a200000"] = "a150000"  # a tail of 150,000 leading into a loop of 50,001
    found = cycles(chain)
    assert len(found) == 50_001 and "a149999" not in found
    assert chain_text(*found["a150000"], most=3) == "a150000 -> a150001 -> a150002 -> ... (49,998 more) -> a150000"
    assert chain_text(*found["a200000"], most=3).startswith("a200000 -> a150000 -> a150001 -> ...")
    assert cycles({"a": "b", "b": "a", "c": "c", "d": "a"}) == {"a": (["a", "b"], 0), "b": (["a", "b"], 1)}


def test_numbers_written_with_commas_are_told_apart():
    from account_playbooks.validate.schema import comma_number

    assert comma_number("7,5") == ("a decimal comma", "7.5")
    assert comma_number("2,803,660") == ("thousands separators", "2803660")
    assert comma_number("2 803 660.5") == ("thousands separators", "2803660.5")
    assert comma_number("1.234,50") == ("thousands separators and a decimal comma", "1234.50")
    assert comma_number("1,234") == ("a comma", "1234, or 1.234 if the comma is a decimal comma")
    assert comma_number("1,2,3") is None and comma_number("seven") is None and comma_number("7.5") is None


def test_an_email_is_one_address_and_the_message_says_what_else_is_there():
    from pydantic import ValidationError

    from account_playbooks.core.model import Person
    from account_playbooks.validate.schema import email_problem

    def accepted(email):
        try:
            Person(id="a", name="A", role="r", email=email)
            return True
        except ValidationError:
            return False

    for good in ("jane.doe@example.com", "o'brien+kam@mail.example.co.uk", "jörg@bücher.de"):
        assert accepted(good), good
    problems = {
        "jane@example.com?bcc=x@rival.example": "'?' would add parameters such as bcc",
        "jane@example.com?subject=Hi": "'?' would add parameters",
        "jane@example.com#x": "'#' would add a fragment",
        "jane%3Fbcc=x@example.com": "'%' would add encoded characters",
        "mailto:jane@example.com": "without 'mailto:'",
        "MAILTO:jane@example.com": "without 'mailto:'",
        "Jane <jane@example.com>": "without a name or angle brackets",
        "jane@example.com, joe@example.com": "several addresses",
        "jane@example.com;joe@example.com": "several addresses",
        "jane @example.com": "no spaces",
        'x"onmouseover=alert(1)"@example.com': "no quotes, parentheses",
        "jane@example": "name@domain.tld",
    }
    for bad, why in problems.items():
        assert not accepted(bad), bad
        assert why in email_problem(bad), bad


def test_a_letter_typed_for_a_lookalike_digit_is_suggested_first():
    from account_playbooks.validate.schema import suggest

    assert suggest("W3O1", ["W301", "W311"]) == "; did you mean 'W301'?"
    assert suggest("W3l1", ["W301", "W311"]) == "; did you mean 'W311'?"
    assert suggest("champoin", ["champion", "user"]) == "; did you mean 'champion'?"
