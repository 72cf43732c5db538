# Courtyard — the two commands that matter: `make demo` and `make test`.
#
# Every Python package comes from uv.lock (exact versions and hashes). uv itself is pinned below and
# installed into .tools/ with pip, so a fresh machine needs only Python 3.11+ and the package index.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV_VERSION := 0.13.10
UV := $(TOOLS)/bin/uv

# uv installs into $(VENV) with the interpreter named by PYTHON, and never downloads a Python of its own.
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: demo test lint lock-check types unit bench install install-test upgrade lock clean

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Courtyard needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --frozen: install exactly what uv.lock says, never re-resolve. The demo keeps test packages if present
# (--inexact); the test environment is made exact, so nothing outside the lock lingers in it.
$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --inexact --quiet
	@touch $@

$(VENV)/.installed-test: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --extra test --quiet
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Run Courtyard: SQLite under ./var, a seeded demo organization, web server + job worker on 127.0.0.1:8000.
demo: $(VENV)/.installed
	$(BIN)/courtyard demo

## Run every check: the lock, lint, import contracts, types, then the whole test suite (browser tests included).
test: $(VENV)/.installed-test lock-check lint types unit

## Fails when pyproject.toml asks for something uv.lock does not hold (or the lock is stale).
lock-check: $(UV)
	$(UV) lock --check --quiet

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

types: $(VENV)/.installed-test
	$(BIN)/mypy

unit: $(VENV)/.installed-test
	COURTYARD_URL_COVERAGE=1 $(BIN)/pytest $(PYTEST_ARGS)

## Re-resolve uv.lock after editing pyproject.toml (keeps every other version where it is).
lock: $(UV)
	$(UV) lock

## Move every dependency to the newest release pyproject.toml allows, then run the whole suite on it.
upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) test

## Benchmarks on the database in DATABASE_URL (seeds 100,000 members once).
bench: $(VENV)/.installed-test
	$(BIN)/courtyard bench

clean:
	rm -rf $(VENV) $(TOOLS) var
