"""JSON Schemas: generated from the model, committed, referenced by the example files."""

from __future__ import annotations

from pathlib import Path

from generator.core.schemas import schema_files

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


def test_the_readme_names_every_field_of_every_file_format():
    """The README's summary is written by hand; the reference page is generated. This keeps the
    first from falling behind the second: a new field fails here until the README names it."""
    import re

    from generator.core.schemas import FILE_KINDS, nested_models

    from .sitebuild import PROJECT

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## File formats"):readme.index("\n## ", readme.index("## File formats") + 1)]
    words = set(re.findall(r"[a-z_]+", section))
    missing = sorted({f"{model.__name__}.{name}" for kind in FILE_KINDS
                      for model in [kind.model, *nested_models(kind.model)]
                      for name in model.model_fields if name not in words})
    assert missing == []
