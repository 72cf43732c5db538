# Courtyard — the two commands that matter: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: demo test lint types unit bench install install-test clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Courtyard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Run Courtyard: SQLite under ./var, a seeded demo organization, web server + job worker on 127.0.0.1:8000.
demo: $(VENV)/.installed
	$(BIN)/courtyard demo

## Run every check: lint, import contracts, types, then the whole test suite (browser tests included).
test: $(VENV)/.installed-test lint types unit

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

types: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test
	COURTYARD_URL_COVERAGE=1 $(BIN)/pytest $(PYTEST_ARGS)

## Benchmarks on the database in DATABASE_URL (seeds 100,000 members once).
bench: $(VENV)/.installed-test
	$(BIN)/courtyard bench

clean:
	rm -rf $(VENV) var
