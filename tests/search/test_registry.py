"""The provider registry: every app's types are registered, and search finds only what a provider vouches for."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.utils import timezone

from courtyard.groups import services
from courtyard.search import registry
from courtyard.search.models import SearchDocument
from courtyard.search.selectors import search
from courtyard.search.services import search_index, search_rebuild
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_each_app_registers_its_types_and_people_are_found_beside_them():
    assert [p.object_type for p in registry.providers()] == ["group", "thread", "post", "resource", "event"]
    assert [(f.kind, f.key) for f in registry.finders()] == [("person", "people")]


def test_an_unknown_type_is_refused():
    with pytest.raises(LookupError):
        registry.provider_for("poll")
    with pytest.raises(LookupError):
        search_index("poll", object())
    with pytest.raises(ValueError, match="too long"):
        registry.provider_register(registry.DocumentProvider("x" * 21, str, list, bool, lambda actor: Q()))


def test_a_document_no_provider_vouches_for_is_found_by_nobody(member):
    SearchDocument.objects.create(object_type="stray", object_id=1, title="Sourdough stray", body="",
                                  search_text="sourdough stray", url="/", created_at=timezone.now())
    assert search(member.user, "sourdough")["page"].paginator.count == 0


def test_content_shares_one_readable_condition(member):
    condition = registry.readable_documents(member.user)
    assert condition.connector == "OR"  # the group rule, and one for every kind of group content
    assert [rule.children[0] for rule in condition.children] == [
        ("object_type", "group"), ("object_type__in", ["thread", "post", "resource", "event"]),
    ]
    assert registry.readable_documents(member.user, ["post"]).children[0] == ("object_type", "post")


def test_the_people_section_is_found_for_everything_and_for_people_only(member, organizer, open_group):
    make_profile(full_name="Sour Dough Fan")
    services.resource_add(actor=organizer.user, group=open_group, title="Dough handbook", url="https://example.com/h")
    everything = search(member.user, "dough")
    assert (everything["people_count"], [p.full_name for p in everything["people"]]) == (1, ["Sour Dough Fan"])
    assert [d.title for d in everything["page"].object_list] == ["Dough handbook"]
    assert search(member.user, "dough", kind="person")["people_count"] == 1
    only_library = search(member.user, "dough", kind="resource")
    assert (only_library["people_count"], only_library["people"]) == (0, [])
    assert search(member.user, "dough", kind="group")["page"].paginator.count == 0
    assert search(member.user, "...") == {"tokens": [], "people": [], "people_count": 0, "page": None}


def test_a_rebuild_asks_every_provider_in_batches(organizer, open_group):
    services.resource_add(actor=organizer.user, group=open_group, title="Dough handbook", url="https://example.com/h")
    batches: list[int] = []
    total = search_rebuild(progress=batches.append, batch=1)
    assert total == SearchDocument.objects.count() == len(batches)
    assert set(SearchDocument.objects.values_list("object_type", flat=True)) == {"group", "resource"}
