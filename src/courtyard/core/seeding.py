"""The one shape of every app's seeder: what ``courtyard seed`` (in ``site``) loops over.

Each app that seeds demo and benchmark data exposes ``SEEDER`` in its ``<app>/seed.py``: an object with

- ``name``: the part it seeds; its random stream is ``random.Random(f"{seed}:{name}")`` (``SeedContext.rng``),
  so adding or reordering a part never changes what the others create for the same ``--seed``;
- ``order``: where it runs, lowest first (people first: everything else needs members);
- ``seed(ctx) -> SeedReport``: seed its part, bulk-inserted, and say what it made;
- ``delete_seeded(ctx) -> SeedReport``: remove what an earlier seed made (``--force``), an empty report when
  there is nothing of its own to remove; the command calls these in reverse order, so content goes before
  the people who wrote it;
- ``counts() -> dict[str, int]``: how much of its part the database holds now (``bench`` reuses a seed by them).

The shape lives here, at the bottom of the stack, so that every app can type its seeder against it; the loop
that finds the seeders and runs them is ``site/seeding.py``, the only place that knows every app.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

Progress = Callable[[int], object]
# (total or None, unit, description) -> a context manager giving the callback that advances a progress bar
ProgressBar = Callable[[int | None, str, str], AbstractContextManager[Progress]]


@dataclasses.dataclass(frozen=True)
class SeedContext:
    seed: int
    members: int  # the size of the organization being seeded
    password_hash: str | None = None  # every seeded member's password, hashed once; None: unusable
    progress_bar: ProgressBar | None = None
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # per-part knobs, e.g. bench's "posts"

    def rng(self, part: str) -> random.Random:
        """One independent, reproducible random stream per seeded part."""
        return random.Random(f"{self.seed}:{part}")  # noqa: S311 - demo data, not security

    def progress(self, total: int | None, unit: str, description: str) -> AbstractContextManager[Progress]:
        if self.progress_bar is None:
            return _Silent()
        return self.progress_bar(total, unit, description)


class _Silent(AbstractContextManager[Progress]):
    def __enter__(self) -> Progress:
        return _ignore

    def __exit__(self, *exc: object) -> None:
        return None


def _ignore(n: int) -> None:
    return None


@dataclasses.dataclass
class SeedReport:
    """What a seeder made: a headline, details, and the figures the command records in the audit log."""

    headline: str = ""
    details: list[str] = dataclasses.field(default_factory=list)
    audit: dict[str, Any] = dataclasses.field(default_factory=dict)
    result: Any = None  # the app's own result object, for callers that want more than the text


@runtime_checkable
class Seeder(Protocol):
    name: str
    order: int

    def seed(self, ctx: SeedContext) -> SeedReport: ...

    def delete_seeded(self, ctx: SeedContext) -> SeedReport: ...

    def counts(self) -> dict[str, int]: ...
