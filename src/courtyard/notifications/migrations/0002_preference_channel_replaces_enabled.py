"""A preference names a channel (app, email, digest, off) instead of on/off.

Rows were stored only when they differed from the default, and every kind was on by default, so the stored
rows are "off" choices: they stay off. A stored "on" (only possible for a kind that was off by default; there
was none) equals the new default, which always delivers, and is removed.
"""

from django.db import migrations, models


def enabled_to_channel(apps, schema_editor):
    Preference = apps.get_model("notifications", "Preference")
    Preference.objects.filter(enabled=True).delete()
    Preference.objects.filter(enabled=False).update(channel="off")


def channel_to_enabled(apps, schema_editor):
    Preference = apps.get_model("notifications", "Preference")
    Preference.objects.exclude(channel="off").delete()
    Preference.objects.update(enabled=False)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications_and_preferences")]

    operations = [
        migrations.AddField(
            model_name="preference",
            name="channel",
            field=models.CharField(
                choices=[("app", "In the app only"), ("email", "Email now"), ("digest", "In my digest"), ("off", "Off")],
                default="off",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(model_name="preference", name="enabled", field=models.BooleanField(null=True)),
        migrations.RunPython(enabled_to_channel, channel_to_enabled),
        migrations.RemoveField(model_name="preference", name="enabled"),
    ]
