"""JSON Schemas: generated from the model, committed, referenced by the example files."""

from __future__ import annotations

from pathlib import Path

from generator.schemas import schema_files

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_match_the_model():
    for name, text in schema_files().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"run `kam schema --force` ({name})"


def test_example_files_reference_their_schema():
    for path in (ROOT / "accounts").glob("*/*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schemas/{path.stem}.schema.json", path


def test_account_schema_forbids_unknown_keys():
    import json
    schema = json.loads((ROOT / "schemas" / "account.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert "owner" in schema["required"]
