"""The groups rules on their own: who may do what (plain facts in, yes or no out) and @mentions."""

from __future__ import annotations

import html.parser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from courtyard.core.markdown import render_markdown
from courtyard.groups.domain import rules
from courtyard.groups.domain.rules import Standing

READ_ACCESS = (rules.MEMBERS, rules.ORGANIZATION)
JOIN_POLICIES = (rules.OPEN, rules.REQUEST, rules.INVITATION)
STATUSES = (None, rules.ACTIVE, rules.REQUESTED, rules.INVITED)
ROLES = (None, rules.MEMBER, rules.MODERATOR, rules.ORGANIZER)

standings = st.builds(
    Standing,
    read_access=st.sampled_from(READ_ACCESS),
    join_policy=st.sampled_from(JOIN_POLICIES),
    archived=st.booleans(),
    is_admin=st.booleans(),
    status=st.sampled_from(STATUSES),
    role=st.sampled_from(ROLES),
)

ALL_RULES = (rules.can_see_group, rules.can_read, rules.can_join, rules.can_request, rules.can_leave,
             rules.can_post, rules.can_moderate, rules.can_manage, rules.can_archive)


# --- Who may do what: properties over every combination -------------------------------------------


@given(standings)
def test_posting_needs_reading_needs_seeing(s: Standing):
    if rules.can_post(s):
        assert rules.can_read(s)
    if rules.can_read(s):
        assert rules.can_see_group(s)
    if rules.can_moderate(s):
        assert rules.can_read(s)
    if rules.can_manage(s):
        assert rules.can_moderate(s)


@given(standings)
def test_nobody_writes_in_an_archived_group(s: Standing):
    archived = Standing(s.read_access, s.join_policy, True, s.is_admin, s.status, s.role)
    for rule in (rules.can_post, rules.can_moderate, rules.can_manage, rules.can_join, rules.can_request):
        assert not rule(archived), rule.__name__
    # ...but it stays readable by whoever could read it before, and admins can still reopen it.
    assert rules.can_read(archived) == rules.can_read(Standing(s.read_access, s.join_policy, False, s.is_admin, s.status, s.role))
    assert rules.can_archive(archived) == s.is_admin


@given(standings)
def test_admins_always_see_and_read(s: Standing):
    admin = Standing(s.read_access, s.join_policy, s.archived, True, s.status, s.role)
    assert rules.can_see_group(admin)
    assert rules.can_read(admin)
    assert rules.can_archive(admin)
    assert rules.can_manage(admin) == (not s.archived)
    assert rules.can_moderate(admin) == (not s.archived)


@given(standings)
def test_only_active_members_post(s: Standing):
    assert rules.can_post(s) == (not s.archived and s.status == rules.ACTIVE)


@given(standings)
def test_unlisted_groups_do_not_exist_for_outsiders(s: Standing):
    unlisted = s.read_access == rules.MEMBERS and s.join_policy == rules.INVITATION
    if unlisted and not s.is_admin and s.status in (None, rules.REQUESTED):
        for rule in ALL_RULES:
            if rule is not rules.can_leave:  # withdrawing one's own (stale) request stays possible
                assert not rule(s), rule.__name__


@given(standings)
def test_organization_readable_groups_are_readable_by_everyone_signed_in(s: Standing):
    if s.read_access == rules.ORGANIZATION:
        assert rules.can_see_group(s)
        assert rules.can_read(s)


@given(standings)
def test_members_only_content_needs_an_active_membership_whatever_the_join_policy(s: Standing):
    if s.read_access == rules.MEMBERS:
        assert rules.can_read(s) == (s.is_member or s.is_admin)
        # ...while the group itself stays findable (to join or ask to) unless it is by invitation.
        if s.join_policy != rules.INVITATION:
            assert rules.can_see_group(s)


@given(st.sampled_from(JOIN_POLICIES), st.booleans(), st.sampled_from(STATUSES))
def test_who_may_join_does_not_depend_on_who_may_read(join_policy: str, archived: bool, status: str | None):
    members, everyone = (Standing(read, join_policy, archived, status=status) for read in READ_ACCESS)
    for rule in (rules.can_join, rules.can_request, rules.can_leave):
        assert rule(members) == rule(everyone), rule.__name__


def test_by_request_defaults_to_members_only():
    assert rules.default_read_access(rules.REQUEST) == rules.MEMBERS
    assert rules.default_read_access(rules.INVITATION) == rules.MEMBERS
    assert rules.default_read_access(rules.OPEN) == rules.ORGANIZATION


@given(standings)
def test_a_role_without_an_active_membership_grants_nothing(s: Standing):
    if s.status != rules.ACTIVE and not s.is_admin:
        assert not rules.can_post(s)
        assert not rules.can_moderate(s)
        assert not rules.can_manage(s)


@given(standings)
def test_join_and_request_exclude_each_other_and_members(s: Standing):
    assert not (rules.can_join(s) and rules.can_request(s))
    if s.status == rules.ACTIVE:
        assert not rules.can_join(s)
        assert not rules.can_request(s)


@given(standings)
def test_rules_are_pure(s: Standing):
    assert [rule(s) for rule in ALL_RULES] == [rule(s) for rule in ALL_RULES]


ORG_OPEN = (rules.ORGANIZATION, rules.OPEN)
ORG_REQUEST = (rules.ORGANIZATION, rules.REQUEST)
ORG_INVITATION = (rules.ORGANIZATION, rules.INVITATION)
MEMBERS_OPEN = (rules.MEMBERS, rules.OPEN)
MEMBERS_REQUEST = (rules.MEMBERS, rules.REQUEST)
PRIVATE = (rules.MEMBERS, rules.INVITATION)  # members only, by invitation: unlisted


def active(settings: tuple[str, str] = ORG_OPEN, role: str = rules.MEMBER, archived: bool = False) -> Standing:
    return Standing(*settings, archived, status=rules.ACTIVE, role=role)


@pytest.mark.parametrize(
    ("standing", "see", "read", "post", "moderate", "manage"),
    [
        (Standing(*ORG_OPEN, False), True, True, False, False, False),
        (Standing(*ORG_REQUEST, False), True, True, False, False, False),
        (Standing(*ORG_INVITATION, False), True, True, False, False, False),
        (Standing(*MEMBERS_OPEN, False), True, False, False, False, False),
        (Standing(*MEMBERS_REQUEST, False), True, False, False, False, False),
        (Standing(*MEMBERS_REQUEST, False, status=rules.REQUESTED), True, False, False, False, False),
        (Standing(*PRIVATE, False), False, False, False, False, False),
        (Standing(*PRIVATE, False, status=rules.INVITED, role=rules.MEMBER), True, False, False, False, False),
        (Standing(*PRIVATE, False, status=rules.REQUESTED, role=rules.ORGANIZER), False, False, False, False, False),
        (active(PRIVATE), True, True, True, False, False),
        (active(MEMBERS_REQUEST), True, True, True, False, False),
        (active(PRIVATE, rules.MODERATOR), True, True, True, True, False),
        (active(PRIVATE, rules.ORGANIZER), True, True, True, True, True),
        (active(ORG_OPEN, rules.ORGANIZER, archived=True), True, True, False, False, False),
        (Standing(*PRIVATE, False, is_admin=True), True, True, False, True, True),
        (Standing(*MEMBERS_REQUEST, False, is_admin=True), True, True, False, True, True),
        (Standing(*PRIVATE, True, is_admin=True), True, True, False, False, False),
    ],
)
def test_the_table(standing, see, read, post, moderate, manage):
    assert rules.can_see_group(standing) is see
    assert rules.can_read(standing) is read
    assert rules.can_post(standing) is post
    assert rules.can_moderate(standing) is moderate
    assert rules.can_manage(standing) is manage


def test_joining_requesting_and_leaving():
    assert rules.can_join(Standing(*ORG_OPEN, False))
    assert rules.can_join(Standing(*MEMBERS_OPEN, False))
    assert not rules.can_join(Standing(*MEMBERS_REQUEST, False))
    assert not rules.can_join(Standing(*ORG_INVITATION, False))
    assert rules.can_join(Standing(*MEMBERS_REQUEST, False, status=rules.INVITED))
    assert rules.can_join(Standing(*PRIVATE, False, status=rules.INVITED))
    assert not rules.can_join(Standing(*PRIVATE, False, is_admin=True))
    assert rules.can_request(Standing(*MEMBERS_REQUEST, False))
    assert rules.can_request(Standing(*ORG_REQUEST, False))
    assert not rules.can_request(Standing(*MEMBERS_REQUEST, False, status=rules.REQUESTED))
    assert not rules.can_request(Standing(*ORG_OPEN, False))
    assert not rules.can_request(Standing(*ORG_INVITATION, False))
    assert rules.can_leave(Standing(*ORG_OPEN, True, status=rules.ACTIVE))
    assert rules.can_leave(Standing(*MEMBERS_REQUEST, False, status=rules.REQUESTED))
    assert not rules.can_leave(Standing(*ORG_OPEN, False))


@pytest.mark.parametrize(("name", "slug"), [("Python Guild", "python-guild"), ("  Ça va?! ", "a-va"), ("new", "new-group"),
                                            ("Mentions", "mentions-group"), ("!!!", "group"), ("x" * 300, "x" * 100)])
def test_slug_candidate(name, slug):
    assert rules.slug_candidate(name) == slug


@given(st.text(max_size=300))
def test_slug_candidate_is_always_a_url_word(name):
    slug = rules.slug_candidate(name)
    assert slug
    assert len(slug) <= 106
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert slug not in rules.RESERVED_SLUGS


# --- @mentions --------------------------------------------------------------------------------------

URLS = {"alice": "/people/1/", "bob.b": "/people/2/"}


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("hi @alice and @Bob.B.", ["alice", "bob.b"]),
        ("@alice @ALICE @alice", ["alice"]),
        ("write to alice@example.com", []),
        ("`@alice` and ``@bob.b``", []),
        ("```\n@alice\n```\n@bob.b", ["bob.b"]),
        ("~~~\n@alice\n~~~", []),
        ("text\n\n    @alice in code\n\n@bob.b", ["bob.b"]),
        ("```\nnever closed @alice", []),
        ("> ```\n> @alice\n> ```", []),
        ("[@alice](https://example.com)", []),
        ("path/@alice and x.@alice", []),
        ("line\n    @alice (a continued paragraph, not code)", ["alice"]),
        ("", []),
    ],
)
def test_mention_handles(text, handles):
    assert rules.mention_handles(text) == handles


def test_mention_handles_are_capped():
    assert len(rules.mention_handles(" ".join(f"@p{i}" for i in range(80)))) == 50


def test_link_mentions_links_known_handles_only():
    assert rules.link_mentions("hi @alice and @zed", URLS) == "hi [@alice](/people/1/) and @zed"
    assert rules.link_mentions("`@alice` @alice", URLS) == "`@alice` [@alice](/people/1/)"
    assert rules.link_mentions("[@alice](https://e.x/)", URLS) == "[@alice](https://e.x/)"


class Links(html.parser.HTMLParser):
    """The links of some HTML, each with whether it sits inside <code> or <pre>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self.depth += 1
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", self.depth > 0))
            self.in_link = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag in ("code", "pre"):
            self.depth -= 1
        if tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.in_link:
            self.texts[-1] += data


FRAGMENTS = ["@alice", "@bob.b", "@zed", "@Alice", " ", "  ", "    ", "\t", "\n", "\n\n", "`", "``", "```", "~~~",
             "word", "x", ".", ",", "*", "_", "[", "](https://e.x/)", "> ", "\\", "<", "&amp;", "#"]
markdown_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(markdown_texts)
@example("``@alice``")
@example("~~~\n@alice")
@example("x\n\n    @alice")
@example("\\@alice")
def test_rendered_mentions_are_links_outside_code_and_only_for_known_people(text):
    """What a member sees: a mention is a link to the person exactly when the rules name that handle
    (so nobody is notified without a visible mention), never inside code, never for an unknown handle."""
    parser = Links()
    parser.feed(str(render_markdown(rules.link_mentions(text, URLS))))
    profile_links = [(href, in_code) for href, in_code in parser.links if href.startswith("/people/")]
    assert not [href for href, in_code in profile_links if in_code], "a mention was linked inside code"
    linked = {text.lower().lstrip("@") for (href, _), text in zip(parser.links, parser.texts, strict=True)
              if href.startswith("/people/")}
    assert linked <= set(URLS)  # never a link for an unknown handle
    assert linked == set(rules.mention_handles(text)) & set(URLS)


@pytest.mark.xfail(strict=True, reason="known gap: indented code after a heading or a fence, or inside a quote or a "
                   "list item, is not recognized as code by the rules' patterns; linking on the rendered HTML "
                   "(outside <code>, <pre> and <a>) would close it")
@pytest.mark.parametrize("text", ["#\n    @alice", "> x\n>\n>     @alice", "-     @alice", "```\n```\n    @alice"])
def test_mentions_in_indented_code_after_other_blocks(text):
    """Today the handle is taken for a mention (its owner is notified) and the code shows "[@alice](/people/1/)"."""
    assert rules.mention_handles(text) == []
    assert "[@alice]" not in str(render_markdown(rules.link_mentions(text, URLS)))
