"""The validate stage against the bad-input corpus: exact diagnostics, exit codes, no tracebacks."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.codes import CODES, IMPORT_CODES

from .corpus import BASE, TODAY, load_cases, materialise, run, with_expected
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


def test_corpus_is_large_and_covers_every_code():
    assert len(CASES) >= 60
    seen = {line.split("[", 1)[1].split("]", 1)[0] for case in CASES for line in case.expected}
    # The import's codes never come from `kam validate`: tests/test_import.py covers each of them.
    assert set(CODES) - IMPORT_CODES - seen == set(), "codes without a corpus case"


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


def test_values_are_described_in_a_line_not_in_thousands_of_digits():
    from generator.validate.schema import describe

    assert describe(int("f" * 5000, 16)) == "a 6021-digit number"  # str() of it would raise
    assert describe("1" * 5000) == f"'{'1' * 40}…' (5,000 characters)"
    assert describe(10 ** 30) == "a 31-digit number" and describe(10 ** 19) == f"the number {10 ** 19}"


def test_a_rebuild_with_the_serve_cache_finds_what_a_fresh_check_finds(tmp_path):
    import datetime as dt

    from generator.pipeline import BuildCache, check

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


def test_numbers_written_with_commas_are_told_apart():
    from generator.validate.schema import comma_number

    assert comma_number("7,5") == ("a decimal comma", "7.5")
    assert comma_number("2,803,660") == ("thousands separators", "2803660")
    assert comma_number("2 803 660.5") == ("thousands separators", "2803660.5")
    assert comma_number("1.234,50") == ("thousands separators and a decimal comma", "1234.50")
    assert comma_number("1,234") == ("a comma", "1234, or 1.234 if the comma is a decimal comma")
    assert comma_number("1,2,3") is None and comma_number("seven") is None and comma_number("7.5") is None


def test_an_email_is_one_address_and_the_message_says_what_else_is_there():
    from pydantic import ValidationError

    from generator.model import Person
    from generator.validate.schema import email_problem

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
    from generator.validate.schema import suggest

    assert suggest("W3O1", ["W301", "W311"]) == "; did you mean 'W301'?"
    assert suggest("W3l1", ["W301", "W311"]) == "; did you mean 'W311'?"
    assert suggest("champoin", ["champion", "user"]) == "; did you mean 'champion'?"
