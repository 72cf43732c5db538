"""Full-text search for the directory, in each database's own way.

SQLite: an FTS5 table over Profile.search_document, kept in sync by triggers.
PostgreSQL: a GIN index on to_tsvector('simple', search_document), plus pg_trgm for similarity later.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE people_profile_fts USING fts5(
        search_document, content='people_profile', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER people_profile_fts_ai AFTER INSERT ON people_profile BEGIN
        INSERT INTO people_profile_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    """CREATE TRIGGER people_profile_fts_ad AFTER DELETE ON people_profile BEGIN
        INSERT INTO people_profile_fts(people_profile_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    """CREATE TRIGGER people_profile_fts_au AFTER UPDATE OF search_document ON people_profile BEGIN
        INSERT INTO people_profile_fts(people_profile_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO people_profile_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    "INSERT INTO people_profile_fts(people_profile_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_profile_fts_au",
    "DROP TRIGGER IF EXISTS people_profile_fts_ad",
    "DROP TRIGGER IF EXISTS people_profile_fts_ai",
    "DROP TABLE IF EXISTS people_profile_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX people_profile_search_gin ON people_profile USING gin (to_tsvector('simple'::regconfig, search_document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS people_profile_search_gin"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("people", "0001_directory_profiles")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
