"""Diagnostics as data: the one JSON shape every front end writes."""

from __future__ import annotations

import json

from generator.core.codes import Severity
from generator.core.diagnostics import Diagnostic, as_json


def test_one_shape_for_a_diagnostic_as_json():
    found = Diagnostic("accounts/a/account.yml", 3, 5, "E104", "'role' must be one of …", Severity.ERROR)
    assert found.as_dict() == {"path": "accounts/a/account.yml", "line": 3, "column": 5, "severity": "error",
                               "code": "E104", "message": "'role' must be one of …"}
    assert json.loads(as_json([found])) == [found.as_dict()]
    assert "…" in as_json([found])  # written as it is, not as \u escapes
