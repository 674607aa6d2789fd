# Two commands do everything on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test test-fast lint serve validate bench schema clean corpus-update

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install -q -e '.[test]'
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

bench: $(VENV)/.test  ## performance ratios (results and method: the README, "Benchmarks")
	$(BIN)/python benchmarks/run.py

corpus-update: $(VENV)/.test  ## rewrite tests/cases expectations from today's output; shows the diff
	$(BIN)/python -m tests.corpus $(CASES)

schema: $(VENV)/.runtime  ## regenerate schemas/ from the model
	$(BIN)/kam schema --force

clean:
	rm -rf site test-artifacts .pytest_cache
