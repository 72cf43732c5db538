"""`courtyard reindex`: rebuild the search index from every registered provider (groups, discussions, replies,
library items, events)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from courtyard.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (after a bulk import, a restore, or a change to how text is indexed)."

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(unit="documents", desc="Indexing", disable=int(options.get("verbosity", 1)) == 0) as bar:
            total = search_rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {total:,} documents."))
