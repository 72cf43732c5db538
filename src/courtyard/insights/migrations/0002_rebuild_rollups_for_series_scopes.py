"""Rollups are now also kept per event series (keyed by the series' event id, where per-day event counts
were keyed "event"), and program scopes no longer count survey answers. Rollups written by the earlier
code would show nothing for series before this upgrade and old survey answers under programs, so they
are emptied here with the high-water mark reset: the five-minute job (``insights_rollups_update``)
rebuilds them from the activity facts, which is what ``courtyard insights_rebuild`` does at once."""

from django.db import migrations

ROLLUP_MODELS = (
    "MemberMonth", "PeriodCount", "DailyCount", "DepartmentPairDay", "MemberTie", "EventMember", "EventDay",
    "ThreadStat", "NewcomerTie", "NewcomerStat", "CommunitySnapshot", "RollupGap", "DirtyPeriod",
)


def empty_rollups(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ROLLUP_MODELS:
        apps.get_model("insights", name).objects.all().delete()
    state = apps.get_model("insights", "RollupState")
    for row in state.objects.all():
        row.high_water = 0
        row.version += 1
        row.save(update_fields=["high_water", "version"])


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_rollups_goals_and_connectors")]

    operations = [migrations.RunPython(empty_rollups, migrations.RunPython.noop)]
