"""The count by code under `kam validate`: the most serious and most frequent first, where to start,
and repository text (an account's folder name) shown inert."""

from __future__ import annotations

import pytest

from account_playbooks.core.codes import Severity
from account_playbooks.core.diagnostics import Diagnostic
from account_playbooks.core.tally import by_code, errors_only_summary, place, table, where_to_start

from .hostile import TEXT_PAYLOADS
from .test_inert import TERMINAL_PAYLOADS


def found(path: str, code: str, severity: Severity = Severity.WARNING, line: int = 1) -> Diagnostic:
    return Diagnostic(path, line, 1, code, "message", severity)


PORTFOLIO = [
    *(found("accounts/acme/strategy.md", "W309", Severity.NOTICE, line) for line in range(1, 6)),
    *(found("accounts/zeta/strategy.md", "W309", Severity.NOTICE, line) for line in range(1, 3)),
    found("accounts/acme/account.yml", "W302"),
    found("accounts/zeta/account.yml", "W302"),
    found("accounts/zeta/stakeholders.yml", "W305"),
    found("criteria.yml", "W402"),
]


def test_rows_go_errors_warnings_notices_and_the_most_frequent_first():
    rows = by_code([*PORTFOLIO, found("team.yml", "E104", Severity.ERROR)])
    assert [(r.code, r.severity.value, r.count) for r in rows] == [
        ("E104", "error", 1), ("W302", "warning", 2), ("W305", "warning", 1), ("W402", "warning", 1),
        ("W309", "notice", 7)]


def test_the_place_is_the_accounts_folder_or_the_file():
    assert place(found("accounts/acme/reviews/2026-01-01-qbr.md", "W308")) == "accounts/acme"
    assert place(found("criteria.yml", "W402")) == "criteria.yml"
    assert place(found("accounts/README.md", "W402")) == "accounts/README.md"


def test_the_table_exactly():
    assert table(PORTFOLIO) == (
        "  2  W302 warning  Key account never reviewed",
        "  1  W305 warning  No champion mapped",
        "  1  W402 warning  Too many key accounts",
        "  7  W309 notice   Plan section still holds the template prompt",
        "Start with accounts/zeta: 2 of the 4 warnings, the most of any account or file.",
    )


def test_where_to_start_looks_at_the_most_serious_kind_only():
    """Seven notices in acme do not outweigh one error in zeta."""
    errors = [*PORTFOLIO, found("accounts/zeta/account.yml", "E104", Severity.ERROR),
              found("team.yml", "E104", Severity.ERROR, 3), found("team.yml", "E104", Severity.ERROR, 4)]
    assert where_to_start(errors) == "Start with team.yml: 2 of the 3 errors, the most of any account or file."


def test_nothing_to_say_about_where_when_everything_is_in_one_place():
    assert where_to_start([found("criteria.yml", "W402")]) is None
    assert where_to_start([]) is None and table([]) == ()


@pytest.mark.parametrize("payload, shown", TERMINAL_PAYLOADS.items())
def test_a_hostile_folder_name_is_shown_inert(payload, shown):
    hostile = [found(f"accounts/{payload}/strategy.md", "W309"), found(f"accounts/{payload}/account.yml", "W302"),
               found("accounts/plain/account.yml", "W302")]
    start = table(hostile)[-1]
    assert start == f"Start with accounts/{shown}: 2 of the 3 warnings, the most of any account or file."
    assert not any(c in "".join(table(hostile)) for c in "\x1b\x07\r\u202e\u2066")


def test_errors_only_counts_what_it_leaves_out_in_one_phrase():
    assert errors_only_summary(PORTFOLIO) == "0 errors; 4 warnings and 7 notices not shown (--errors-only)"
    assert errors_only_summary([found("team.yml", "E104", Severity.ERROR), found("criteria.yml", "W402")]) == \
        "1 error; 1 warning not shown (--errors-only)"
    assert errors_only_summary([]) == "0 errors"


@pytest.mark.parametrize("payload", [p for p in TEXT_PAYLOADS if "/" not in p])  # "/" cannot be in a folder's name
def test_markup_in_a_folder_name_reaches_the_terminal_as_the_letters_it_is(payload):
    hostile = [found(f"accounts/{payload}/strategy.md", "W309"), found(f"accounts/{payload}/goals.yml", "W303"),
               found("accounts/plain/account.yml", "W302")]
    assert table(hostile)[-1] == f"Start with accounts/{payload}: 2 of the 3 warnings, the most of any account or file."
