"""Known XSS payloads written by members, rendered on every page that shows them: nothing executable survives.

The payloads go through every field a member writes (thread titles and bodies, replies, group names and
descriptions, library titles and descriptions, profile name, bio and "ask me about"). Each page is parsed as a
browser would, and checked for an executable construct: a <script> that is not one of our static files, an
on* event-handler attribute, a javascript:/data:/vbscript: URL in href/src/action, an <svg> that is not one of
our icons or avatars, <iframe>/<object>/<embed>/<base>/<form> smuggled in. Links in member text carry
rel="nofollow noopener noreferrer".
"""

from __future__ import annotations

import html.parser
import re

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.groups import services
from courtyard.groups.models import Group
from courtyard.people import services as people_services
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    '<svg onload=alert("x3")><script>alert(1)</script></svg>',
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    '<a href="javascript:alert(\'x4\')">click</a>',
    '[md link](javascript:alert("x5"))',
    '![md image](javascript:alert("x6"))',
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
    '<iframe src="https://evil.example/frame"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<body onload=alert("x7")>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '"><script>alert("x8")</script>',
    "'><img src=x onerror=alert(9)>",
    '<scr<script>ipt>alert("x10")</script>',
    '&lt;script&gt;alert("x11")&lt;/script&gt;',
    "[entity link](&#106;avascript:alert(\"x12\"))",
    "[tab link](java\tscript:alert(1))",
    '[case link](JaVaScRiPt:alert("x14"))',
    '[spaced link]( javascript:alert("x13"))',
    "<a href=\"https://evil.example/\" onclick=\"alert(1)\">raw link</a>",
    "[external link](https://evil.example/path)",
    "<https://evil.example/auto>",
    '@mia.member <img src=x onerror=alert("x15")>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<b onmouseover=alert(1)>unclosed <i",
    "`<script>alert(1)</script>` and ```\n<script>alert(2)</script>\n```",
    '<base href="https://evil.example/"><form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]
BODY = "\n\n".join(PAYLOADS)
SHORT = '<script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>'  # fits a 100-character name

BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript):", re.I)
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math", "style", "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


class Audit(html.parser.HTMLParser):
    """What a browser would find executable in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.member_links: list[dict[str, str | None]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS and not (tag == "link" and self.in_head):
            self.problems.append(f"<{tag} {attrs}>")
        if tag == "meta" and not self.in_head:
            self.problems.append(f"<meta {attrs}> in the body")
        if tag == "svg" and not set((attributes.get("class") or "").split()) & {"bi", "avatar"}:
            self.problems.append(f"<svg {attrs}> that is not ours")
        if tag == "form" and BAD_SCHEME.match(attributes.get("action") or ""):
            self.problems.append(f"<form {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> with an event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and value and BAD_SCHEME.match("".join(value.split())):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and (attributes.get("href") or "").startswith("https://evil.example"):
            self.member_links.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def audit(html_text: str) -> Audit:
    parser = Audit()
    parser.feed(html_text)
    parser.close()
    return parser


@pytest.fixture
def hostile(reactions):
    """Everything a member writes, full of payloads, and the URLs of the pages that show it."""
    author = make_profile(email="mallory@example.com", full_name=SHORT + " Mallory")
    people_services.profile_update(
        actor=author.user, profile=author,
        data={"bio": BODY[:4000], "ask_me_about": SHORT + " javascript:alert(1) <a href=javascript:alert(1)>x</a>",
              "hidden_fields": []},
    )
    mia = make_profile(email="mia.member@example.com", full_name="Mia Member")
    group = services.group_create(actor=author.user, name=SHORT, description=BODY[:10_000], tags=["Payloads"])
    services.membership_join(actor=mia.user, group=group)
    thread = services.thread_create(actor=author.user, group=group, title=SHORT + " [x](javascript:alert(1))",
                                    body=BODY, is_question=True)
    post = services.post_create(actor=author.user, thread=thread, body=BODY)
    services.post_create(actor=mia.user, thread=thread, body="@mallory " + PAYLOADS[1])
    # Edits keep the payload-laden text as revisions, shown on the history pages.
    services.thread_update(actor=author.user, thread=thread, title=SHORT + " v2", body=BODY + "\n\nedited")
    services.post_update(actor=author.user, post=post, body=BODY + "\n\nedited")
    services.resource_add(actor=author.user, group=group, title=SHORT, description=BODY[:2000],
                          url="https://evil.example/resource")
    services.reaction_toggle(actor=mia.user, target=post, kind=reactions[0])
    slug = Group.objects.get(pk=group.pk).slug
    pages = {
        "group page": reverse("groups:detail", args=[slug]),
        "thread page": reverse("groups:thread", args=[slug, thread.pk]),
        "browse": reverse("groups:browse"),
        "browse search": reverse("groups:browse") + "?q=script",
        "thread history": reverse("groups:history", args=[slug, "threads", thread.pk]),
        "reply history": reverse("groups:history", args=[slug, "posts", post.pk]),
        "members": reverse("groups:members", args=[slug]),
        "resources": reverse("groups:resources", args=[slug]),
        "profile": reverse("people:profile", args=[author.pk]),
        "directory": reverse("people:directory"),
        "directory search": reverse("people:directory") + "?q=mallory",
        "home feed": reverse("home"),
        "edit thread form": reverse("groups:thread_edit", args=[slug, thread.pk]),
    }
    return {"author": author, "mia": mia, "pages": pages}


@pytest.mark.parametrize("viewer", ["mia", "author"])
def test_no_payload_survives_as_an_executable_construct(hostile, viewer):
    client = Client()
    client.force_login(hostile[viewer].user)
    problems: dict[str, list[str]] = {}
    for name, url in hostile["pages"].items():
        response = client.get(url)
        if name == "edit thread form" and viewer != "author":
            assert response.status_code == 403
            continue
        assert response.status_code == 200, (name, response.status_code)
        found = audit(response.content.decode())
        if found.problems:
            problems[name] = found.problems
    assert not problems, problems


def test_the_payloads_are_shown_as_text_and_links_carry_rel(hostile):
    client = Client()
    client.force_login(hostile["mia"].user)
    thread_html = client.get(hostile["pages"]["thread page"]).content.decode()
    assert "&lt;script&gt;alert" in thread_html  # shown, harmlessly, as what the member typed
    links = audit(thread_html).member_links
    assert links, "the member's https link is kept"
    for link in links:
        assert set((link.get("rel") or "").split()) >= {"nofollow", "noopener", "noreferrer"}, link
    # The mention next to a payload is still a mention.
    assert f'href="{reverse("people:profile", args=[hostile["author"].pk])}"' in thread_html
    group_html = client.get(hostile["pages"]["group page"]).content.decode()
    for link in audit(group_html).member_links:
        assert set((link.get("rel") or "").split()) >= {"nofollow", "noopener", "noreferrer"}, link


def test_the_audit_itself_catches_each_construct():
    """The checker can fail: each construct it looks for is caught in raw HTML."""
    for raw in ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href=" javascript:x">a</a>',
                '<a href="data:text/html,x">a</a>', '<svg onload=x></svg>', '<svg></svg>', '<iframe src=x></iframe>',
                '<form action="javascript:x"></form>', '<object data=x></object>', '<a href="java\nscript:x">a</a>']:
        assert audit(f"<html><body>{raw}</body></html>").problems, raw
    assert not audit('<html><head><script src="/static/app.js"></script></head><body><svg class="bi"></svg>'
                     '<a href="https://e.x/" rel="nofollow">x</a></body></html>').problems


def test_every_page_really_shows_the_payloads(hostile):
    """Guard against a vacuous pass: each page does carry member text with the payloads (escaped)."""
    client = Client()
    client.force_login(hostile["mia"].user)
    for name, url in hostile["pages"].items():
        if name == "edit thread form":
            continue
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(" in page or "alert(" in page, name
    profile = client.get(hostile["pages"]["profile"]).content.decode()
    assert "Ask me about" in profile
    assert "About" in profile
