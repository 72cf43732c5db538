from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """One searchable thing (a group, a discussion, a reply, a library item, an event), indexed by the database.

    ``object_type`` names the provider that describes it (``courtyard.search.registry``); the provider's
    ``readable`` rule decides who may find it, from ``group_id`` (the readers of that group). The apps' services
    keep the index current; ``courtyard reindex`` rebuilds it. Matching runs on ``search_text`` (normalized); SQLite keeps an FTS5
    table over it, PostgreSQL a stored tsvector column with a GIN index (migration 0002).
    """

    object_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    group_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    search_text = models.TextField()
    url = models.CharField(max_length=500)
    author_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="searchdocument_unique")]
        indexes = [
            models.Index(fields=["group_id"], name="searchdocument_group_idx"),
            # Newest-first listing of very common words walks this index and stops after one page.
            models.Index(fields=["-created_at", "-id"], name="searchdocument_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.title}"
