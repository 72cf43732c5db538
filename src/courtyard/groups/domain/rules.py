"""Who may do what in a group: pure rules over plain facts, shared by pages, the API and search."""

from __future__ import annotations

import dataclasses
import re

# Who may read a group's content (discussions, replies, library, member list, members-only events)...
MEMBERS = "members"
ORGANIZATION = "organization"
READ_ACCESS = (MEMBERS, ORGANIZATION)
# ...and who may join it: two separate settings, so that "ask to join" no longer implies "anyone may read".
OPEN = "open"
REQUEST = "request"
INVITATION = "invitation"
JOIN_POLICIES = (OPEN, REQUEST, INVITATION)
MEMBER = "member"
MODERATOR = "moderator"
ORGANIZER = "organizer"
ACTIVE = "active"
REQUESTED = "requested"
INVITED = "invited"


def default_read_access(join_policy: str) -> str:
    """What a group's readers are when its organizer did not say: people who choose to vet who joins expect
    what is said inside to stay inside, so only a group anyone may join is readable by everyone."""
    return ORGANIZATION if join_policy == OPEN else MEMBERS


def is_listed(read_access: str, join_policy: str) -> bool:
    """Whether outsiders learn that the group exists (its name, description and member count in lists).

    A members-only group one can only be invited to is invisible: nobody outside could do anything with it. Every
    other group is listed, so people can find it and join or ask to; whether they also read it is read_access."""
    return not (read_access == MEMBERS and join_policy == INVITATION)


@dataclasses.dataclass(frozen=True)
class Standing:
    """A person's relation to one group, as plain data."""

    read_access: str
    join_policy: str
    archived: bool
    is_admin: bool = False
    status: str | None = None  # None: no membership row
    role: str | None = None

    @property
    def is_member(self) -> bool:
        return self.status == ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_member and self.role in (MODERATOR, ORGANIZER)

    @property
    def is_organizer(self) -> bool:
        return self.is_member and self.role == ORGANIZER


def can_see_group(s: Standing) -> bool:
    """Whether the group exists for this person: listed groups for everyone; an unlisted group only for its
    members, those invited (to accept) and admins."""
    if is_listed(s.read_access, s.join_policy) or s.is_admin:
        return True
    return s.status in (ACTIVE, INVITED)


def can_read(s: Standing) -> bool:
    """Discussions, replies, resources, the member list and the group's events: everyone in the organization for
    an organization-readable group (knowledge is shared), otherwise active members (and admins) only."""
    if not can_see_group(s):
        return False
    if s.read_access == ORGANIZATION:
        return True
    return s.is_member or s.is_admin


def can_join(s: Standing) -> bool:
    if s.archived or s.is_member:
        return False
    if s.join_policy == OPEN:
        return True
    return s.status == INVITED


def can_request(s: Standing) -> bool:
    return not s.archived and s.join_policy == REQUEST and s.status is None


def can_leave(s: Standing) -> bool:
    return s.status in (ACTIVE, REQUESTED, INVITED)


def can_post(s: Standing) -> bool:
    return not s.archived and s.is_member


def can_moderate(s: Standing) -> bool:
    """Pin, lock, restore, remove others' posts."""
    if s.archived:
        return False
    return s.is_moderator or s.is_admin


def can_manage(s: Standing) -> bool:
    """Edit the group, invite, approve, remove and promote members."""
    if s.archived:
        return False
    return s.is_organizer or s.is_admin


def can_archive(s: Standing) -> bool:
    return s.is_admin


MENTION_RE = re.compile(r"(?<![\w@/.\\])@([A-Za-z0-9][A-Za-z0-9._+-]{0,63}[A-Za-z0-9_+-]|[A-Za-z0-9])")


# Where an @handle is not a mention, because Markdown shows it as code or it already is a link: fenced blocks
# (``` or ~~~, also inside a quote or a list item, open to the end when never closed), indented code blocks,
# code spans (a run of backticks up to the next run of the same length), and [text](url) links.
_NOT_MENTIONS = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(`{3,}(?![^\n]*`)|~{3,}).*?(?:\n[ \t>]*\1[`~]*[ \t]*(?=\n|\Z)|\Z)"
    r"|(?:\A|\n[ \t]*\n)(?:[ \t]*\n)*(?: {4}| {0,3}\t)[^\n]*(?:\n(?:(?: {4}| {0,3}\t)[^\n]*|[ \t]*(?=\n)))*"
    r"|(?<!`)(`+)(?!`).+?(?<!`)\2(?!`)"
    r"|\[[^\]]*\]\([^)]*\)",
    re.M | re.S,
)


def _outside_code(text: str) -> list[tuple[bool, str]]:
    """The text in pieces, each marked True where @handles are mentions."""
    pieces, start = [], 0
    for match in _NOT_MENTIONS.finditer(text):
        pieces.append((True, text[start : match.start()]))
        pieces.append((False, match.group(0)))
        start = match.end()
    pieces.append((True, text[start:]))
    return pieces


def mention_handles(text: str) -> list[str]:
    """The @handles in a text, lower-cased, in order, once each; code spans and blocks (and links) are ignored."""
    seen: dict[str, None] = {}
    for live, piece in _outside_code(text or ""):
        for match in MENTION_RE.finditer(piece) if live else ():
            seen.setdefault(match.group(1).lower(), None)
    return list(seen)[:50]


def link_mentions(text: str, profile_urls: dict[str, str]) -> str:
    """Markdown with each known @handle turned into a link to that person (unknown handles stay text)."""

    def replace(match: re.Match[str]) -> str:
        url = profile_urls.get(match.group(1).lower())
        return f"[@{match.group(1)}]({url})" if url else match.group(0)

    return "".join(MENTION_RE.sub(replace, piece) if live else piece for live, piece in _outside_code(text or ""))


RESERVED_SLUGS = frozenset({"new", "mentions"})  # the group URLs' own words


def slug_candidate(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "group"
    return f"{slug}-group" if slug in RESERVED_SLUGS else slug
