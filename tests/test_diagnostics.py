"""Diagnostics as data: the one JSON shape every front end writes."""

from __future__ import annotations

import json

from account_playbooks.core.codes import Severity
from account_playbooks.core.diagnostics import (
    Diagnostic,
    apply_severity,
    as_json,
    format_github,
    format_text,
    stops_strict,
    summary,
)
from account_playbooks.core.errors import exit_code


def test_one_shape_for_a_diagnostic_as_json():
    found = Diagnostic("accounts/a/account.yml", 3, 5, "E104", "'role' must be one of …", Severity.ERROR)
    assert found.as_dict() == {"path": "accounts/a/account.yml", "line": 3, "column": 5, "severity": "error",
                               "code": "E104", "message": "'role' must be one of …"}
    assert json.loads(as_json([found])) == [found.as_dict()]
    assert "…" in as_json([found])  # written as it is, not as \u escapes


def _warning(code: str = "W309") -> Diagnostic:
    return Diagnostic("accounts/a/strategy.md", 9, 1, code, "section '## Relationships' still holds the template prompt",
                      Severity.WARNING)


def test_criteria_can_make_a_warning_a_notice_that_strict_lets_through():
    (notice,) = apply_severity([_warning()], {"W309": "notice"})
    assert notice.severity is Severity.NOTICE and notice.as_dict()["severity"] == "notice"
    assert not stops_strict(notice) and stops_strict(_warning())
    assert exit_code([notice], strict=True) == 0 and exit_code([_warning()], strict=True) == 3
    assert format_text(notice) == ("accounts/a/strategy.md:9:1: notice[W309] "
                                   "section '## Relationships' still holds the template prompt")


def test_a_notice_is_a_notice_annotation_on_github():
    (notice,) = apply_severity([_warning()], {"W309": "notice"})
    assert format_github(notice).startswith("::notice file=accounts/a/strategy.md,line=9,col=1,title=W309::")
    assert format_github(_warning()).startswith("::warning ")


def test_the_count_names_notices_only_when_there_are_some():
    assert summary([_warning()]) == "0 errors, 1 warning"
    notices = apply_severity([_warning(), _warning("W305")], {"W309": "notice", "W305": "notice"})
    assert summary([_warning("W302"), *notices]) == "0 errors, 1 warning, 2 notices"
