"""Full-text indexes over SearchDocument.search_text: FTS5 with triggers on SQLite, a stored tsvector
column with a GIN index on PostgreSQL (the model does not see that column)."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_searchdocument_fts USING fts5(
        search_text, content='search_searchdocument', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_searchdocument_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER search_searchdocument_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER search_searchdocument_fts_au AFTER UPDATE OF search_text ON search_searchdocument BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO search_searchdocument_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_au",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_ai",
    "DROP TABLE IF EXISTS search_searchdocument_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX search_searchdocument_vector_gin ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchdocument_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
