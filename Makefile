# Two commands do everything on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test test-fast lint serve validate bench schema docs clean corpus-update lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs come from the lock (requirements/ci.txt): an upstream release cannot change a build
# until `make lock` is run and its diff reviewed (Dependabot proposes the same in pull requests).
$(VENV)/.runtime: pyproject.toml requirements/ci.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c requirements/ci.txt -e .
	touch $@

$(VENV)/.test: pyproject.toml requirements/ci.txt $(VENV)/.runtime
	$(BIN)/python -m pip install -q -c requirements/ci.txt -e '.[test]'
	touch $@

site: $(VENV)/.runtime  ## build the site from the example portfolio into site/
	$(BIN)/kam build

serve: $(VENV)/.runtime  ## preview with live reload on http://127.0.0.1:8000
	$(BIN)/kam serve

validate: $(VENV)/.runtime  ## the CI gate
	$(BIN)/kam validate

lint: $(VENV)/.test  ## ruff (lint, import order) and mypy (strict on core, validate, scoring): seconds
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

test: lint  ## the whole test suite (installs Chromium for the browser test where it can)
	scripts/ensure-browser
	$(BIN)/python -m pytest

test-fast: lint  ## the suite without site builds, git, serve, installs and the browser: under a minute
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(VENV)/.test  ## performance ratios (method and latest figures: benchmarks/README.md)
	$(BIN)/python benchmarks/run.py

corpus-update: $(VENV)/.test  ## rewrite tests/cases expectations from today's output; shows the diff
	$(BIN)/python -m tests.corpus $(CASES)

docs: $(VENV)/.runtime  ## regenerate playbook/guide/command-line.md from the commands' --help
	$(BIN)/python -m tests.docs

schema: $(VENV)/.runtime  ## regenerate schemas/ from the model
	$(BIN)/kam schema --force

lock: | $(BIN)/python  ## re-resolve the pinned dependency sets (this repository's CI, kam init's starter)
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile -q pyproject.toml --universal --python-version 3.11 --extra test -o requirements/ci.txt
	$(BIN)/uv pip compile -q pyproject.toml --universal --python-version 3.11 -o requirements/runtime.txt
	cp requirements/runtime.txt generator/scaffold/starter/constraints.txt

clean:
	rm -rf site test-artifacts .pytest_cache
