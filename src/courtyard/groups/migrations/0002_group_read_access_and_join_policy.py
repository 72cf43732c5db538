"""Split the group's single visibility into who may read (read_access) and who may join (join_policy).

The old values map as: open -> organization + open; request -> members + request (organizers who vet who
joins expect what is said inside to stay inside); private -> members + invitation (still unlisted)."""

from django.db import migrations, models

FORWARD = {
    "open": ("organization", "open"),
    "request": ("members", "request"),
    "private": ("members", "invitation"),
}
BACKWARD = {
    ("organization", "open"): "open",
    ("members", "request"): "request",
    ("members", "invitation"): "private",
}


def split_visibility(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    for visibility, (read_access, join_policy) in FORWARD.items():
        Group.objects.filter(visibility=visibility).update(read_access=read_access, join_policy=join_policy)


def join_visibility(apps, schema_editor):
    # Going back: combinations the old field cannot say fall to the more private of the nearest old values
    # (members-only -> private unless by request, organization-readable but not open -> request).
    Group = apps.get_model("groups", "Group")
    for group in Group.objects.only("pk", "read_access", "join_policy"):
        key = (group.read_access, group.join_policy)
        old = BACKWARD.get(key) or ("request" if key[0] == "organization" else "private")
        Group.objects.filter(pk=group.pk).update(visibility=old)


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0001_groups_discussions_reactions_resources"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="join_policy",
            field=models.CharField(
                choices=[("open", "Anyone"), ("request", "By request"), ("invitation", "By invitation")],
                default="open", max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="group",
            name="read_access",
            field=models.CharField(
                choices=[("members", "Members only"), ("organization", "The whole organization")],
                default="organization", max_length=12,
            ),
        ),
        migrations.RunPython(split_visibility, join_visibility),
        migrations.RemoveIndex(model_name="group", name="group_visibility_idx"),
        migrations.RemoveField(model_name="group", name="visibility"),
        migrations.AddIndex(
            model_name="group",
            index=models.Index(fields=["read_access", "join_policy", "archived_at"], name="group_access_idx"),
        ),
    ]
