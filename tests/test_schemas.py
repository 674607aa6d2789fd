"""JSON Schemas: generated from the model, committed, referenced by the example files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from account_playbooks.core.load import split_front_matter
from account_playbooks.core.schemas import FILE_KINDS, json_schema, schema_files

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
    from account_playbooks.core.schemas import nested_models

    return {f"{model.__name__}.{name}" for top in models for model in [top, *nested_models(top)]
            for name in model.model_fields}


def test_the_generated_file_formats_page_names_every_field_of_every_file_format():
    """The reference people read is the page generated from the models: a nested model the page
    leaves out, or a field it does not list, fails here."""
    import datetime as dt
    import re

    from account_playbooks.core.schemas import FILE_KINDS
    from account_playbooks.site.build import generate

    from .corpus import BASE

    page = next(p.markdown for p in generate(BASE, dt.date(2026, 11, 24)).pages if p.path == "reference/file-formats.md")
    words = set(re.findall(r"`([a-z_]+)`", page))
    assert sorted(f for f in _fields(kind.model for kind in FILE_KINDS) if f.split(".")[1] not in words) == []


def test_the_configuration_guide_explains_every_option_of_criteria_yml():
    """The guide's account of criteria.yml is written by hand; the models are the truth. This keeps
    the first from falling behind the second: a new option fails here until the guide names it."""
    import re

    from account_playbooks.core.model import CriteriaConfig

    guide = (ROOT / "playbook" / "guide" / "configuration.md").read_text(encoding="utf-8")
    section = guide[guide.index("## criteria.yml"):guide.index("\n## ", guide.index("## criteria.yml") + 1)]
    words = set(re.findall(r"[a-z_]+", section))
    assert sorted(f for f in _fields([CriteriaConfig]) if f.split(".")[1] not in words) == []


# -- the shipped schemas, read by an independent validator (jsonschema), accept what the tool accepts:
#    the example portfolio, a new repository's files, and what `kam new account` writes.

def _as_json(value):
    """YAML as a JSON document would hold it: dates are strings (the schema's format: date)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def _documents(root: Path):
    for kind in FILE_KINDS:
        pattern = kind.pattern.split(" ")[0].replace("<id>", "*").replace("YYYY-MM-DD-slug", "*")
        for path in sorted(root.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(split_front_matter(text)[0] if kind.front_matter else text)
            yield kind, path, data


def _problems(root: Path) -> list[str]:
    found, seen = [], 0
    for kind, path, data in _documents(root):
        seen += 1
        validator = jsonschema.Draft202012Validator(json_schema(kind))
        found += [f"{path.relative_to(root)}: {e.message}" for e in validator.iter_errors(_as_json(data))]
    assert seen, f"no files read under {root}"
    return found


def test_the_example_portfolio_passes_an_independent_validator():
    assert _problems(ROOT) == []


@pytest.mark.slow
def test_a_new_repository_and_a_new_account_pass_it(tmp_path):
    from click.testing import CliRunner

    from account_playbooks.cli.commands import main

    repo = tmp_path / "new"
    assert CliRunner().invoke(main, ["init", str(repo)]).exit_code == 0
    team = repo / "team.yml"
    team.write_text(team.read_text(encoding="utf-8").replace(
        "\n[]", "\n- {id: jane-doe, name: Jane Doe, role: Key account manager, email: jane@example.com}"), encoding="utf-8")
    made = CliRunner().invoke(main, ["--root", str(repo), "new", "account", "northwind-logistics", "--name",
                                     "Northwind Logistics", "--owner", "jane-doe"])
    assert (repo / "accounts/northwind-logistics/stakeholders.yml").exists(), made.output
    assert yaml.safe_load((repo / "accounts/northwind-logistics/goals.yml").read_text()) is None  # comments only
    assert _problems(repo) == []


def test_a_comment_only_list_file_is_valid_and_a_wrong_one_is_not():
    stakeholders = next(k for k in FILE_KINDS if k.name == "stakeholders")
    validator = jsonschema.Draft202012Validator(json_schema(stakeholders))
    assert validator.is_valid(None) and validator.is_valid([])
    assert not validator.is_valid({"id": "x"}) and not validator.is_valid([{"id": "Not An Id"}])
