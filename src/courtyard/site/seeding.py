"""Finds every app's seeder and runs them in order (the shape of a seeder: core/seeding.py).

An app takes part by exposing ``SEEDER`` in its ``<app>/seed.py``; nothing here names an app, so adding one
needs no change to ``courtyard seed`` or ``courtyard bench``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from tqdm import tqdm

from courtyard.core.seeding import Progress, ProgressBar, Seeder


def seeders() -> list[Seeder]:
    """Every installed app's ``seed.SEEDER``, lowest ``order`` first."""
    found: list[Seeder] = []
    for app in apps.get_app_configs():
        if not module_has_submodule(app.module, "seed"):
            continue
        seeder = getattr(import_module(f"{app.name}.seed"), "SEEDER", None)
        if seeder is None:
            continue
        if not isinstance(seeder, Seeder):
            raise TypeError(f"{app.name}.seed.SEEDER does not have the shape of core.seeding.Seeder")
        found.append(seeder)
    names = [seeder.name for seeder in found]
    if len(set(names)) != len(names):
        raise ValueError(f"Two seeders share a name: {sorted(names)}")
    return sorted(found, key=lambda seeder: (seeder.order, seeder.name))


def seeder(name: str) -> Seeder:
    for candidate in seeders():
        if candidate.name == name:
            return candidate
    raise LookupError(f"No seeder named {name!r}")


def tqdm_progress(*, disable: bool) -> ProgressBar:
    """A ``core.seeding.ProgressBar`` drawing tqdm bars (on stderr), or none when ``disable``."""

    @contextmanager
    def bar(total: int | None, unit: str, description: str) -> Iterator[Progress]:
        with tqdm(total=total, unit=unit, desc=description, disable=disable) as drawn:
            yield drawn.update

    return bar
