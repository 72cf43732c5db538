"""The search index of seeded data: rebuilt from the content tables once every other part is seeded."""

from __future__ import annotations

import time

from courtyard.core.seeding import SeedContext, SeedReport
from courtyard.search.models import SearchDocument
from courtyard.search.services import search_rebuild


class SearchSeeder:
    """Runs after every part that writes searchable content (people, groups and discussions, ...)."""

    name = "search"
    order = 90

    def counts(self) -> dict[str, int]:
        return {"documents": SearchDocument.objects.count()}

    def delete_seeded(self, ctx: SeedContext) -> SeedReport:
        return SeedReport()  # the rebuild replaces the whole index

    def seed(self, ctx: SeedContext) -> SeedReport:
        started = time.perf_counter()
        with ctx.progress(None, "docs", "Search index") as bar:
            documents = search_rebuild(progress=bar)
        return SeedReport(
            headline=f"Search index: {documents:,} documents in {time.perf_counter() - started:.1f} s.",
            audit={}, result=documents,
        )


SEEDER = SearchSeeder()
