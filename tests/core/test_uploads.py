"""core/uploads.py: the folder's checker decides who may open an upload; an unregistered folder is never served."""

from __future__ import annotations

import pytest

from courtyard.core import uploads
from courtyard.groups.access import can_view_cover
from courtyard.people.access import can_view_uploaded_file


@pytest.fixture
def checkers(monkeypatch):
    registry: dict = {}
    monkeypatch.setattr(uploads, "_checkers", registry)
    return registry


def test_the_innermost_registered_folder_decides(checkers):
    uploads.upload_checker_register("events/", lambda actor, name: False)
    uploads.upload_checker_register("events/photos/", lambda actor, name: actor == "guest")
    assert uploads.may_view_upload("guest", "events/photos/a.jpg")
    assert not uploads.may_view_upload("guest", "events/cover.jpg")
    assert not uploads.may_view_upload("other", "events/photos/a.jpg")


def test_a_folder_nobody_registered_is_never_served(checkers):
    uploads.upload_checker_register("photos/", lambda actor, name: True)
    assert not uploads.may_view_upload("anyone", "imports/spool.csv")
    assert not uploads.may_view_upload("anyone", "photosx/a.jpg")


def test_registration_refuses_a_second_checker_and_a_folder_without_slash(checkers):
    first = lambda actor, name: True  # noqa: E731
    uploads.upload_checker_register("photos/", first)
    uploads.upload_checker_register("photos/", first)  # the same one again (ready() twice) is fine
    with pytest.raises(ValueError, match="already"):
        uploads.upload_checker_register("photos/", lambda actor, name: False)
    with pytest.raises(ValueError, match="ends with"):
        uploads.upload_checker_register("photos", first)


def test_the_apps_register_their_folders():
    """As installed: profile photos and group covers are checked by their apps; nothing else is served."""
    assert uploads._checkers == {"photos/": can_view_uploaded_file, "groups/": can_view_cover}
