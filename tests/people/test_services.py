"""people.services on the real database: profiles, tags, photos, activation."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from courtyard.accounts.models import User
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.core.models import AuditEntry
from courtyard.people import services
from courtyard.people.models import Profile, Tag
from tests.factories import PASSWORD, make_profile
from tests.helpers import db_snapshot, image_bytes, image_upload

pytestmark = pytest.mark.django_db


# --- profile_create ------------------------------------------------------------------------


def test_profile_create_makes_user_profile_tags_search_document_and_audit(admin):
    profile = services.profile_create(
        email="  José.Núñez@Example.COM ", full_name=" José Núñez ", actor=admin.user,
        interests=["Rock climbing", "rock-climbing", "Jazz"], skills=["Python"], title="Engineer",
    )
    profile.refresh_from_db()
    assert profile.user.email == "josé.núñez@example.com"
    assert profile.full_name == "José Núñez"
    assert sorted(t.name for t in profile.interests.all()) == ["Jazz", "Rock climbing"]
    assert [t.name for t in profile.skills.all()] == ["Python"]
    assert "jose nunez" in profile.search_document
    assert "rock climbing" in profile.search_document
    assert not profile.user.has_usable_password()
    entry = AuditEntry.objects.get(action="people.profile.created", object_id=str(profile.pk))
    assert entry.actor == admin.user
    assert entry.object_type == "people.profile"


def test_profile_create_refuses_a_duplicate_address_whatever_its_case(member):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        services.profile_create(email="MEMBER@example.com", full_name="Someone Else")
    assert error.value.code == "duplicate_email"
    assert db_snapshot() == before


def test_profile_create_admin_flag_makes_a_community_admin():
    profile = services.profile_create(email="boss@example.com", full_name="Bo Boss", is_admin=True)
    assert profile.user.is_staff
    assert profile.user.is_admin


# --- profile_update ------------------------------------------------------------------------


def test_member_updates_own_personal_fields(member):
    services.profile_update(
        actor=member.user, profile=member,
        data={"preferred_name": "Mimi", "pronouns": "she/her", "timezone": "America/New_York", "bio": "Hi"},
    )
    member.refresh_from_db()
    assert (member.preferred_name, member.pronouns, member.timezone, member.bio) == (
        "Mimi", "she/her", "America/New_York", "Hi",
    )
    assert "mimi" in member.search_document
    entry = AuditEntry.objects.filter(action="people.profile.updated").get()
    assert entry.data == {"fields": ["bio", "preferred_name", "pronouns", "timezone"]}


@pytest.mark.parametrize(
    "field", ["full_name", "title", "department", "team", "manager", "start_date", "employee_id", "is_active", "user"]
)
def test_member_cannot_change_admin_fields(member, field):
    before = db_snapshot()
    with pytest.raises(PermissionDenied) as error:
        services.profile_update(actor=member.user, profile=member, data={field: None, "bio": "sneaky"})
    assert error.value.code == "field_not_editable"
    assert field in error.value.message
    assert db_snapshot() == before


def test_member_cannot_edit_someone_else(member, other_member):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=other_member.user, profile=member, data={"bio": "defaced"})
    assert db_snapshot() == before


def test_admin_changes_organization_fields(admin, member, other_member):
    department = services.department_ensure_path("Engineering > Data")
    services.profile_update(
        actor=admin.user, profile=member,
        data={"full_name": "Mia Newname", "title": "Lead", "department": department, "manager": other_member},
    )
    member.refresh_from_db()
    assert member.full_name == "Mia Newname"
    assert member.department.path == "Engineering / Data"
    assert member.manager == other_member
    assert "engineering / data" in member.search_document


def test_deactivated_admin_is_only_a_member(admin, member):
    User.objects.filter(pk=admin.user.pk).update(is_active=False)
    admin.user.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=admin.user, profile=member, data={"bio": "x"})


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "   ", "utc+2", "../../etc/passwd", "Europe/"])
def test_unknown_time_zone_is_refused(member, bad):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        services.profile_update(actor=member.user, profile=member, data={"timezone": bad})
    assert error.value.code == "bad_timezone"
    assert error.value.status == 400
    assert db_snapshot() == before


def test_time_zone_is_trimmed(member):
    services.profile_update(actor=member.user, profile=member, data={"timezone": " Asia/Tokyo "})
    member.refresh_from_db()
    assert member.timezone == "Asia/Tokyo"


def test_hidden_fields_are_validated_and_normalized(member):
    services.profile_update(
        actor=member.user, profile=member, data={"hidden_fields": ["pronouns", "photo", "pronouns"]}
    )
    member.refresh_from_db()
    assert member.hidden_fields == ["photo", "pronouns"]
    with pytest.raises(ApplicationError) as error:
        services.profile_update(actor=member.user, profile=member, data={"hidden_fields": ["email", "title"]})
    assert error.value.code == "bad_field"
    member.refresh_from_db()
    assert member.hidden_fields == ["photo", "pronouns"]


def test_empty_full_name_is_refused(admin, member):
    with pytest.raises(ApplicationError) as error:
        services.profile_update(actor=admin.user, profile=member, data={"full_name": "   "})
    assert error.value.code == "required"


def test_no_change_writes_no_audit_entry(member):
    services.profile_update(actor=member.user, profile=member, data={"timezone": member.timezone, "interests": []})
    assert not AuditEntry.objects.filter(action="people.profile.updated").exists()


# --- manager cycles ------------------------------------------------------------------------


def test_a_person_cannot_be_their_own_manager(admin, member):
    with pytest.raises(ApplicationError) as error:
        services.profile_update(actor=admin.user, profile=member, data={"manager": member})
    assert error.value.code == "manager_cycle"


def test_a_reporting_cycle_is_refused_at_any_depth(admin):
    top, middle, bottom = (make_profile(full_name=name) for name in ("Top", "Middle", "Bottom"))
    services.profile_update(actor=admin.user, profile=middle, data={"manager": top})
    services.profile_update(actor=admin.user, profile=bottom, data={"manager": middle})
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        services.profile_update(actor=admin.user, profile=top, data={"manager": bottom})
    assert error.value.code == "manager_cycle"
    assert "cycle" in error.value.message
    assert db_snapshot() == before
    # Moving someone elsewhere in the line is fine.
    services.profile_update(actor=admin.user, profile=bottom, data={"manager": top})
    bottom.refresh_from_db()
    assert bottom.manager == top


# --- tags ----------------------------------------------------------------------------------


def test_tags_resolve_treats_spelling_variants_as_one_tag():
    first = services.tags_resolve(Tag.Kind.INTEREST, ["Rock climbing", "rock-climbing", "ROCK CLIMBING", " Jazz "])
    assert [t.name for t in first] == ["Rock climbing", "Jazz"]
    again = services.tags_resolve(Tag.Kind.INTEREST, ["rock-climbing"])
    assert again == [first[0]]
    assert Tag.objects.filter(kind=Tag.Kind.INTEREST).count() == 2


def test_tags_resolve_keeps_vocabularies_apart():
    interest = services.tags_resolve(Tag.Kind.INTEREST, ["Python"])[0]
    skill = services.tags_resolve(Tag.Kind.SKILL, ["python"])[0]
    assert interest.pk != skill.pk
    assert (interest.kind, skill.kind) == ("interest", "skill")


def test_tags_resolve_accents_and_empty_names():
    tags = services.tags_resolve(Tag.Kind.INTEREST, ["Café", "cafe", "", "  "])
    assert [t.slug for t in tags] == ["cafe"]


def test_profile_update_sets_tags_and_search_document(member):
    services.profile_update(actor=member.user, profile=member, data={"interests": ["Bouldering"], "skills": ["Go"]})
    member.refresh_from_db()
    assert [t.name for t in member.interests.all()] == ["Bouldering"]
    assert "bouldering" in member.search_document
    services.profile_update(actor=member.user, profile=member, data={"interests": []})
    member.refresh_from_db()
    assert list(member.interests.all()) == []
    assert "bouldering" not in member.search_document


# --- photos --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_photo_is_stored_as_a_512_square_jpeg(member, fmt):
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload(f"me.{fmt.lower()}", fmt, (1200, 700)))
    member.refresh_from_db()
    assert member.photo.name.startswith("photos/")
    assert member.photo.name.endswith(".jpg")
    with Image.open(member.photo.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (512, 512)
    assert AuditEntry.objects.filter(action="people.profile.photo_set").count() == 1


def test_photo_drops_exif_data(member):
    image = Image.new("RGB", (600, 600), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # rotated: the stored photo is turned upright
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    services.profile_photo_set(
        actor=member.user, profile=member, upload=SimpleUploadedFile("a.jpg", out.getvalue(), "image/jpeg")
    )
    member.refresh_from_db()
    with Image.open(member.photo.path) as stored:
        assert b"SecretCam" not in (stored.info.get("exif") or b"")
        assert dict(stored.getexif()) == {}


def test_replacing_a_photo_deletes_the_old_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    first = member.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_set(actor=member.user, profile=member, upload=image_upload("b.png"))
    member.refresh_from_db()
    assert member.photo.path != first
    import os

    assert not os.path.exists(first)
    assert os.path.exists(member.photo.path)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"%PDF-1.4 not an image at all", "cv.pdf", "photo_unreadable"),
        (b"", "empty.png", "photo_unreadable"),
        (image_bytes("PNG")[:60], "truncated.png", "photo_unreadable"),
        (image_bytes("BMP"), "old.bmp", "photo_format"),
        (image_bytes("TIFF"), "scan.tiff", "photo_format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", "photo_unreadable"),
    ],
)
def test_photo_refuses_what_is_not_a_supported_image(member, content, name, code):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        services.profile_photo_set(actor=member.user, profile=member, upload=SimpleUploadedFile(name, content))
    assert error.value.code == code
    assert error.value.status == 400
    assert db_snapshot() == before


def test_photo_refuses_a_file_over_the_size_limit(member, settings):
    settings.PHOTO_MAX_BYTES = 1000
    upload = image_upload(size=(400, 400))
    assert upload.size > 1000
    with pytest.raises(ApplicationError) as error:
        services.profile_photo_set(actor=member.user, profile=member, upload=upload)
    assert error.value.code == "photo_too_large"
    member.refresh_from_db()
    assert not member.photo


def test_photo_refuses_a_decompression_bomb(member):
    # A tiny file that claims a huge canvas must be refused before it is decoded.
    upload = image_upload(size=(8000, 6000))
    with pytest.raises(ApplicationError) as error:
        services.profile_photo_set(actor=member.user, profile=member, upload=upload)
    assert error.value.code == "photo_too_large"


def test_photo_of_someone_else_is_refused(member, other_member):
    with pytest.raises(PermissionDenied):
        services.profile_photo_set(actor=other_member.user, profile=member, upload=image_upload())
    member.refresh_from_db()
    assert not member.photo


def test_photo_remove_clears_the_field_and_the_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    path = member.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_photo_remove(actor=member.user, profile=member)
    member.refresh_from_db()
    assert not member.photo
    import os

    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="people.profile.photo_removed").count() == 1
    # Removing again is harmless and records nothing more.
    services.profile_photo_remove(actor=member.user, profile=member)
    assert AuditEntry.objects.filter(action="people.profile.photo_removed").count() == 1


def test_photo_remove_by_someone_else_is_refused(member, other_member):
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    with pytest.raises(PermissionDenied):
        services.profile_photo_remove(actor=other_member.user, profile=member)
    member.refresh_from_db()
    assert member.photo


# --- activation ----------------------------------------------------------------------------


def test_deactivation_blocks_sign_in_and_keeps_the_data(admin, member):
    services.profile_update(actor=member.user, profile=member, data={"interests": ["Chess"], "bio": "Still here"})
    services.member_set_active(actor=admin.user, profile=member, active=False)
    member.refresh_from_db()
    assert not member.is_active
    assert not member.user.is_active
    assert member.bio == "Still here"
    assert [t.name for t in member.interests.all()] == ["Chess"]
    assert not Client().login(email=member.user.email, password=PASSWORD)
    response = Client().post("/accounts/login/", {"login": member.user.email, "password": PASSWORD})
    assert "_auth_user_id" not in response.wsgi_request.session
    assert AuditEntry.objects.filter(action="people.member.deactivated").count() == 1

    services.member_set_active(actor=admin.user, profile=member, active=True)
    member.refresh_from_db()
    assert member.is_active
    assert member.user.is_active
    assert Client().login(email=member.user.email, password=PASSWORD)
    assert AuditEntry.objects.filter(action="people.member.reactivated").count() == 1


def test_only_admins_deactivate(member, other_member):
    with pytest.raises(PermissionDenied):
        services.member_set_active(actor=other_member.user, profile=member, active=False)
    member.refresh_from_db()
    assert member.is_active


def test_admin_cannot_deactivate_themselves(admin):
    with pytest.raises(ApplicationError) as error:
        services.member_set_active(actor=admin.user, profile=admin, active=False)
    assert error.value.code == "self_deactivation"
    assert Profile.objects.get(pk=admin.pk).is_active


# --- department tree -----------------------------------------------------------------------


def test_department_paths_in_any_spelling_are_one_tree():
    a = services.department_ensure_path("Engineering / Platform / Storage")
    b = services.department_ensure_path("Engineering>Platform>Storage")
    c = services.department_ensure_path("  Engineering/  Platform ")
    assert a == b
    assert a.parent == c
    assert (a.depth, c.depth, c.parent.depth) == (2, 1, 0)
    assert c.parent.path == "Engineering"
    assert services.department_ensure_path(" / ") is None


def test_team_and_location_ensure():
    assert services.team_ensure("  ", None) is None
    team = services.team_ensure(" Core   Team ", None)
    assert team.name == "Core Team"
    location = services.location_ensure("Berlin")
    assert location.timezone == ""
    assert services.location_ensure("Berlin", "Europe/Berlin").timezone == "Europe/Berlin"
    assert services.location_ensure("") is None


# --- profile_save: the profile form's fields and photo, all or nothing ----------------------------------------


def test_profile_save_stores_fields_and_photo_together(member):
    services.profile_save(actor=member.user, profile=member, data={"bio": "Hello", "pronouns": "she/her"},
                          photo=image_upload())
    member.refresh_from_db()
    assert (member.bio, member.pronouns) == ("Hello", "she/her")
    assert member.photo.name.endswith(".jpg")
    actions = set(AuditEntry.objects.filter(object_id=str(member.pk)).values_list("action", flat=True))
    assert {"people.profile.updated", "people.profile.photo_set"} <= actions


def test_profile_save_with_an_unusable_photo_saves_nothing(admin, member, settings):
    settings.PHOTO_MAX_BYTES = 100  # the photo service refuses it, after the fields were applied
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        services.profile_save(actor=admin.user, profile=member,
                              data={"bio": "Lost", "team": "Brand new team", "department": member.department},
                              photo=image_upload())
    assert error.value.code == "photo_too_large"
    assert db_snapshot() == before  # neither the bio nor the new team, nor a file


def test_profile_save_makes_a_team_given_by_name(admin, member):
    services.profile_save(actor=admin.user, profile=member, data={"team": "Storage", "department": member.department})
    member.refresh_from_db()
    assert (member.team.name, member.team.department) == ("Storage", member.department)
