from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from courtyard.groups import services
from courtyard.search import selectors
from courtyard.search.domain.snippets import plain_text, snippet
from courtyard.search.models import SearchDocument
from courtyard.search.selectors import search
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [d.title for d in result["page"].object_list]


@pytest.fixture
def talk(open_group, private_group, organizer, member):
    services.membership_join(actor=member.user, group=open_group)
    public = services.thread_create(actor=organizer.user, group=open_group, title="Sourdough starter tips",
                                    body="Feed it flour and water every day.")
    services.post_create(actor=member.user, thread=public, body="My sourdough likes rye flour best.")
    secret = services.thread_create(actor=organizer.user, group=private_group, title="Sourdough budget 2027",
                                    body="Confidential numbers.")
    return public, secret


def test_results_are_ranked_with_snippets_and_never_from_unreadable_groups(talk, member, organizer):
    result = search(member.user, "sourdough")
    assert "Sourdough budget 2027" not in titles(result)  # private group the member is not in
    assert titles(result)[0] == "Sourdough starter tips"  # the title match ranks first
    reply = next(d for d in result["page"].object_list if d.object_type == "post")
    assert "<mark>sourdough</mark>" in reply.snippet
    assert "Sourdough budget 2027" in titles(search(organizer.user, "sourdough"))


def test_prefix_accents_and_every_word(talk, member):
    assert titles(search(member.user, "sourd"))
    assert titles(search(member.user, "STARTER tips"))[0] == "Sourdough starter tips"
    assert not search(member.user, "sourdough banana")["page"].object_list
    services.thread_create(actor=member.user, group=talk[0].group, title="Crème brûlée", body="Dessert club")
    assert titles(search(member.user, "creme brulee")) == ["Crème brûlée"]


def test_deleted_content_leaves_the_index_and_comes_back_when_restored(talk, member, organizer):
    public, _secret = talk
    services.content_set_deleted(actor=organizer.user, target=public, deleted=True)
    assert not search(member.user, "sourdough")["page"].object_list
    services.content_set_deleted(actor=organizer.user, target=public, deleted=False)
    assert len(search(member.user, "sourdough")["page"].object_list) == 2


def test_edits_and_renames_are_searchable(talk, organizer, member):
    public, _secret = talk
    services.thread_update(actor=organizer.user, thread=public, title="Bread corner", body="Levain care")
    assert titles(search(member.user, "levain")) == ["Bread corner"]
    reply = next(d for d in search(member.user, "rye")["page"].object_list)
    assert reply.title == "Bread corner"


def test_people_groups_and_library_are_found(talk, member, open_group):
    make_profile(full_name="Sour Dough Fan", interests=["Baking"])
    services.resource_add(actor=member.user, group=open_group, title="Sourdough handbook",
                          url="https://example.com/handbook")
    result = search(member.user, "sourdough")
    assert {d.object_type for d in result["page"].object_list} >= {"thread", "post", "resource"}
    assert [p.full_name for p in search(member.user, "dough fan")["people"]] == ["Sour Dough Fan"]
    assert titles(search(member.user, "python", kind="group")) == ["Python Guild"]


def test_reindex_rebuilds_the_same_index(talk):
    before = sorted(SearchDocument.objects.values_list("object_type", "object_id", "search_text"))
    SearchDocument.objects.all().delete()
    call_command("reindex", verbosity=0)
    assert sorted(SearchDocument.objects.values_list("object_type", "object_id", "search_text")) == before


def test_search_page_and_api(talk, member):
    client = signed_in_client(member)
    page = client.get(reverse("search:search"), {"q": "sourdough"}).content.decode()
    assert "Sourdough starter tips" in page
    assert "Sourdough budget" not in page
    assert client.get(reverse("search:search"), {"page": "x", "q": "a"}).status_code == 400
    api = api_for(member).request("get", "/api/search/", {"q": "sourdough"})
    assert api.status_code == 200
    assert next(r["title"] for r in api.body["results"]) == "Sourdough starter tips"
    assert all("budget" not in r["title"].lower() for r in api.body["results"])
    assert api_for().request("get", "/api/search/", {"q": "sourdough"}).status_code == 401


def test_search_runs_a_fixed_number_of_queries(talk, member, organizer, django_assert_num_queries):
    """Session and user, then: documents count + rows, people count + rows + interests + skills."""
    make_profile(full_name="Sam Sourdough")
    client = signed_in_client(member)
    url = reverse("search:search") + "?q=sourdough"
    client.get(url)
    expected = 8 if settings.SESSION_ENGINE.endswith(".db") else 7
    with django_assert_num_queries(expected):
        client.get(url)
    for i in range(30):
        make_profile(full_name=f"Sourdough Fan {i}")
    for i in range(5):  # the posting rate limit allows 8 a minute
        services.post_create(actor=organizer.user, thread=talk[0], body=f"sourdough note {i}")
    with django_assert_num_queries(expected):
        assert "Sourdough Fan" in client.get(url).content.decode()


def test_snippet_marks_words_and_escapes_html():
    text = "Before <b>bold</b> — the Crème brûlée recipe, crème again"
    out = snippet(text, ["creme"])
    assert "<b>" not in out
    assert "&lt;b&gt;" in out
    assert out.count("<mark>") == 2
    assert "<mark>Crème</mark>" in out
    long = "word " * 100 + "needle " + "word " * 100
    cut = snippet(long, ["needle"], width=60)
    assert cut.startswith("… ")
    assert cut.endswith(" …")
    assert "<mark>needle</mark>" in cut


def test_snippets_show_words_not_markdown():
    assert plain_text("Welcome to **Python Guild**! See [the docs](https://x.example) and `uv`.") == (
        "Welcome to Python Guild! See the docs and uv."
    )
    assert "**" not in snippet("A **bold** python idea", ["python"])


def test_very_common_words_list_newest_first(talk, member, organizer, monkeypatch):
    public, _secret = talk
    services.post_create(actor=organizer.user, thread=public, body="Newest sourdough word")
    monkeypatch.setattr(selectors, "RANK_MAX_MATCHES", 1)
    result = search(member.user, "sourdough")
    dates = [d.created_at for d in result["page"].object_list]
    assert dates == sorted(dates, reverse=True)
    assert result["page"].paginator.count == 3


def test_counts_stop_at_a_cap(talk, member, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    result = search(member.user, "sourdough")
    assert result["capped"] is True
    assert result["page"].paginator.count == 2  # the cap + 1: "more than 1"
    page = signed_in_client(member).get(reverse("search:search"), {"q": "sourdough"}).content.decode()
    assert "more than 10,000" in page or "more than" in page
