"""The migration that split a group's visibility into who may read and who may join."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("groups", "0001_groups_discussions_reactions_resources")]
AFTER = [("groups", "0002_group_read_access_and_join_policy")]


@pytest.mark.django_db(transaction=True)
def test_old_visibilities_become_the_two_settings_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldGroup = old_apps.get_model("groups", "Group")
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    for visibility in ("open", "request", "private"):
        OldGroup.objects.create(name=visibility, slug=visibility, visibility=visibility, created_at=now)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Group = new_apps.get_model("groups", "Group")
    assert {g.slug: (g.read_access, g.join_policy) for g in Group.objects.all()} == {
        "open": ("organization", "open"),
        "request": ("members", "request"),  # by request now means members only, as organizers expect
        "private": ("members", "invitation"),
    }
    # Combinations the old field could not say go back to the more private of the nearest old values.
    Group.objects.create(name="a", slug="org-invitation", read_access="organization", join_policy="invitation",
                         created_at=now)
    Group.objects.create(name="b", slug="members-open", read_access="members", join_policy="open", created_at=now)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    OldGroup = executor.loader.project_state(BEFORE).apps.get_model("groups", "Group")
    assert dict(OldGroup.objects.values_list("slug", "visibility")) == {
        "open": "open", "request": "request", "private": "private", "org-invitation": "request",
        "members-open": "private",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as every other test expects it
