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


def _fields(models) -> set[str]:
    from generator.core.schemas import nested_models

    return {f"{model.__name__}.{name}" for top in models for model in [top, *nested_models(top)]
            for name in model.model_fields}


def test_the_generated_file_formats_page_names_every_field_of_every_file_format():
    """The reference people read is the page generated from the models: a nested model the page
    leaves out, or a field it does not list, fails here."""
    import datetime as dt
    import re

    from generator.core.schemas import FILE_KINDS
    from generator.site.build import generate

    from .corpus import BASE

    page = next(p.markdown for p in generate(BASE, dt.date(2026, 11, 24)).pages if p.path == "reference/file-formats.md")
    words = set(re.findall(r"`([a-z_]+)`", page))
    assert sorted(f for f in _fields(kind.model for kind in FILE_KINDS) if f.split(".")[1] not in words) == []


def test_the_configuration_guide_explains_every_option_of_criteria_yml():
    """The guide's account of criteria.yml is written by hand; the models are the truth. This keeps
    the first from falling behind the second: a new option fails here until the guide names it."""
    import re

    from generator.core.model import CriteriaConfig

    guide = (ROOT / "playbook" / "guide" / "configuration.md").read_text(encoding="utf-8")
    section = guide[guide.index("## criteria.yml"):guide.index("\n## ", guide.index("## criteria.yml") + 1)]
    words = set(re.findall(r"[a-z_]+", section))
    assert sorted(f for f in _fields([CriteriaConfig]) if f.split(".")[1] not in words) == []
