"""Rebuild the search documents of people who hide a searchable field, which used to be indexed anyway.

The document is rebuilt from the historical models with the same pure rule the services use; the database
keeps its full-text index in step (FTS5 triggers on SQLite, a generated column on PostgreSQL)."""

from django.db import migrations

SEARCHABLE_HIDDEN = ("location", "languages", "ask_me_about")


def rebuild(apps, schema_editor):
    # Imported when the migration runs, not when it is loaded: every `migrate` loads all migrations, and only
    # this one's run should depend on today's application code (a pure function; models come from `apps`).
    from courtyard.people.domain.directory import build_search_document  # noqa: PLC0415 - only when it runs

    Profile = apps.get_model("people", "Profile")
    for profile in (
        Profile.objects.exclude(hidden_fields=[])
        .select_related("user", "department", "team", "location")
        .prefetch_related("interests", "skills")
        .iterator(chunk_size=500)
    ):
        hidden = set(profile.hidden_fields or ())
        if not hidden & set(SEARCHABLE_HIDDEN):
            continue
        document = build_search_document(
            full_name=profile.full_name,
            preferred_name=profile.preferred_name,
            email=profile.user.email,
            title=profile.title,
            department_path=profile.department.path if profile.department else "",
            team=profile.team.name if profile.team else "",
            location=profile.location.name if profile.location and "location" not in hidden else "",
            interests=[tag.name for tag in profile.interests.all()],
            skills=[tag.name for tag in profile.skills.all()],
            ask_me_about="" if "ask_me_about" in hidden else profile.ask_me_about,
            languages="" if "languages" in hidden else profile.languages,
        )
        if document != profile.search_document:
            Profile.objects.filter(pk=profile.pk).update(search_document=document)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_follows")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
