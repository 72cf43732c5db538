"""Uploads to a full or read-only disk: a clear refusal, no partly written file, no row changed.

The full disk is real at the operating-system level: a file-size limit (RLIMIT_FSIZE) makes the kernel
refuse writes past a few kilobytes, so the upload is cut off half-way, as on a disk that fills up.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import random
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courtyard.groups import services as group_services
from tests.conftest import signed_in_client
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

LIMIT = 32 * 1024


@contextlib.contextmanager
def disk_fills_up_at(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes of any file fail with EFBIG (the signal that would kill us is ignored)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@contextlib.contextmanager
def read_only(directory: Path, monkeypatch) -> Iterator[None]:
    """Creating a file under ``directory`` fails as on a read-only file system (root ignores chmod)."""
    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        if str(path).startswith(str(directory)) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", guarded_open)
        yield


def noisy_photo() -> SimpleUploadedFile:
    """A photo whose JPEG stays far larger than LIMIT after resizing (noise does not compress)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (800, 800), bytes(rng.getrandbits(8) for _ in range(800 * 800 * 3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def media_files() -> list[str]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.fixture
def warm_member_client(member):
    client = signed_in_client(member)
    client.get(reverse("home"))  # the session record and today's visit exist before the snapshot
    return client


def test_a_photo_on_a_full_disk_is_refused_clearly_and_leaves_nothing(member, warm_member_client):
    photo = noisy_photo()
    before = db_snapshot()
    with disk_fills_up_at(LIMIT):
        response = warm_member_client.post(reverse("people:profile_photo", args=[member.pk]), {"photo": photo})
    assert response.status_code == 400
    assert "no room for this file" in response.content.decode()
    assert media_files() == []  # the half-written JPEG is gone
    assert db_snapshot() == before
    member.refresh_from_db()
    assert not member.photo


def test_a_library_file_on_a_full_disk_is_refused_in_the_form_and_leaves_nothing(member, warm_member_client):
    organizer = make_profile(email="olga.org@example.com", full_name="Olga Organizer")
    group = group_services.group_create(actor=organizer.user, name="Python Guild")
    group_services.membership_join(actor=member.user, group=group)
    url = reverse("groups:resources", args=[group.slug])
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 " + os.urandom(200 * 1024), content_type="application/pdf")
    before = db_snapshot()
    with disk_fills_up_at(LIMIT):
        response = warm_member_client.post(url, {"title": "Meeting notes", "file": pdf})
    assert response.status_code == 400
    page = response.content.decode()
    assert "no room for this file" in page
    assert 'value="Meeting notes"' in page  # the form keeps what the member typed
    assert media_files() == []
    assert db_snapshot() == before


def test_a_photo_on_a_read_only_disk_is_refused_clearly(member, warm_member_client, monkeypatch):
    photo = noisy_photo()
    before = db_snapshot()
    with read_only(Path(settings.MEDIA_ROOT), monkeypatch):
        response = warm_member_client.post(reverse("people:profile_photo", args=[member.pk]), {"photo": photo})
    assert response.status_code == 400
    assert "cannot store files right now" in response.content.decode()
    assert media_files() == []
    assert db_snapshot() == before


def test_the_same_upload_succeeds_once_there_is_room(member, warm_member_client):
    response = warm_member_client.post(reverse("people:profile_photo", args=[member.pk]), {"photo": noisy_photo()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert [Path(name).name for name in media_files()] == [Path(member.photo.name).name]


def test_a_photo_saved_with_the_profile_form_on_a_full_disk_keeps_the_form_and_saves_nothing(member, warm_member_client):
    before = db_snapshot()
    with disk_fills_up_at(LIMIT):
        response = warm_member_client.post(
            reverse("people:profile_edit_self"),
            {"timezone": "UTC", "bio": "Typed before the disk filled", "photo": noisy_photo()},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "no room for this file" in page
    assert "Typed before the disk filled" in page  # the form keeps what the member typed
    assert media_files() == []
    assert db_snapshot() == before  # the bio and time zone were rolled back with the photo
