"""The import contracts in pyproject.toml catch what they are meant to catch.

Each case copies the Python files of ``src/courtyard`` to a temporary directory, plants one import that a
contract forbids, and runs ``lint-imports`` with the project's own configuration on the copy (put first on
PYTHONPATH: import-linter parses the files it finds there, it imports none of them). The planted copy must
break exactly the contracts named; the untouched copy must keep them all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CONTRACTS = {c["name"] for c in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]}
DOMAIN = "Domain modules are pure Python: no Django, no other layers"
MODELS = "Models do not reach up into services, views or the API"
STACK = "The app stack: an app imports only the apps below it"
ROOMS = "The rooms of an app: web and api, services, notify, selectors, access, models, domain"
CORE = "core imports no Courtyard app"
SEARCH = "Search imports none of the apps it finds things in: they register providers with it"


def _python_only(directory: str, names: list[str]) -> set[str]:
    """Skip what import-linter never reads (templates, static files, caches) to keep the copy small."""
    return {n for n in names if n in ("static", "templates", "locale", "__pycache__")
            or (not n.endswith(".py") and not Path(directory, n).is_dir())}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "courtyard", tmp_path / "src" / "courtyard", ignore=_python_only)
    return tmp_path


def run(tree: Path, config: Path = PYPROJECT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "COLUMNS": "400"}
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=tree, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def lint(tree: Path) -> tuple[int, dict[str, str]]:
    """Run lint-imports on the copy: its exit code and each contract's verdict (KEPT or BROKEN)."""
    done = run(tree)
    output = " ".join(done.stdout.split())  # one line: long contract names may wrap
    verdicts = {}
    for name in CONTRACTS:
        for verdict in ("KEPT", "BROKEN"):
            if f"{name} {verdict}" in output:
                verdicts[name] = verdict
    assert set(verdicts) == CONTRACTS, done.stdout + done.stderr  # every contract was checked
    return done.returncode, verdicts


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / "src" / Path(*module.split(".")).with_suffix(".py")
    assert path.is_file(), path
    path.write_text(path.read_text() + f"\n{line}  # planted by the test\n")


def test_the_checked_contracts_are_the_ones_this_test_plants_against():
    assert {DOMAIN, MODELS, STACK, ROOMS, CORE, SEARCH} <= CONTRACTS


def test_the_code_as_it_is_keeps_every_contract(tree):
    code, verdicts = lint(tree)
    assert code == 0
    assert set(verdicts.values()) == {"KEPT"}


@pytest.mark.parametrize(("module", "line", "broken"), [
    # Domain code is pure Python.
    ("courtyard.people.domain.directory", "import django.db", {DOMAIN}),
    # Models never reach up to services (the rooms forbid it too).
    ("courtyard.groups.models", "from courtyard.groups import services", {MODELS, ROOMS}),
    # A low app imports a high one: people is below insights.
    ("courtyard.people.models", "from courtyard.insights.domain import metrics", {STACK}),
    # core is at the bottom of the stack, and imports no Courtyard app.
    ("courtyard.core.clock", "from courtyard.accounts import models", {STACK, CORE}),
    # Search imports no app it finds things in: they register providers (search is below people).
    ("courtyard.search.registry", "from courtyard.groups import models", {STACK, SEARCH}),
    ("courtyard.search.selectors", "from courtyard.people.selectors import directory_slice", {STACK, SEARCH}),
    # pairing and surveys are independent siblings.
    ("courtyard.pairing.selectors", "from courtyard.surveys import selectors", {STACK}),
    # Within an app, selectors are below services.
    ("courtyard.groups.selectors", "from courtyard.groups import services", {ROOMS}),
    # Within an app, access is below selectors.
    ("courtyard.events.access", "from courtyard.events import selectors", {ROOMS}),
    # The API and the web package are siblings.
    ("courtyard.people.api", "from courtyard.people.web import views", {ROOMS}),
    # A chain through a module in no layer is still caught: selectors -> caching -> services.
    ("courtyard.surveys.caching", "from courtyard.surveys import services", {ROOMS}),
])
def test_a_planted_violation_breaks_its_contract(tree, module, line, broken):
    plant(tree, module, line)
    code, verdicts = lint(tree)
    assert code != 0
    assert {name for name, verdict in verdicts.items() if verdict == "BROKEN"} == broken


def test_an_ignored_import_that_no_longer_exists_fails_the_check(tree):
    """A stale ignore_imports line is an error, so the list only shrinks as the known violations go."""
    config = tree / "pyproject.toml"
    anchor = "ignore_imports = [\n"
    text = PYPROJECT.read_text()
    assert anchor in text
    config.write_text(text.replace(anchor, anchor + '    "courtyard.core.clock -> courtyard.people.models",\n', 1))
    done = run(tree, config)
    assert done.returncode != 0
    assert "No matches for ignored import courtyard.core.clock -> courtyard.people.models" in (
        " ".join((done.stdout + done.stderr).split()))
