# Oakview: `make run` (the app with the Oak View demo), `make test` (the whole suite) and
# `make lint` (ruff, import-linter, mypy).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LINT_STAMP := $(VENV)/.installed-lint
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench venv check-python worker beat lint clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Oakview needs Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))."; \
	  echo "On Debian/Ubuntu: sudo apt-get install python3 python3-venv  (or set PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }

$(STAMP): pyproject.toml | check-python
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(LINT_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[lint]'
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Oakview is at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(TEST_STAMP)
	@bash scripts/test-prereqs.sh
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff (lint, then the format check), the import rules (import-linter, contracts in
# pyproject.toml), then mypy with django-stubs (strict on plans.parts, plans.snapshot and
# plans.services).
lint: $(LINT_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

bench: $(TEST_STAMP)
	$(PY) benchmarks/run.py $(if $(WRITE),--write)
	@command -v wrk >/dev/null || { echo "Installing wrk (apt-get)"; apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk; }
	$(PY) benchmarks/suite.py

worker: $(STAMP)
	$(PY) -m celery -A oakview worker --loglevel=INFO

beat: $(STAMP)
	$(PY) -m celery -A oakview beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles
