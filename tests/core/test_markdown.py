"""Member-written Markdown is rendered through a sanitizer: known XSS payloads come out harmless."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from courtyard.core.domain.markdown_text import excerpt, markdown_to_text
from courtyard.core.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)">',
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    "<form action=//evil.example><input name=p></form>",
    '<p title="x" onmouseover="alert(1)">hover</p>',
    "<object data=evil.swf></object><embed src=evil.swf>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[a](https://ok.example \"t\" onclick=alert(1))",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<<script>script>alert(1)<</script>/script>",
]

SAFE_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
SAFE_ATTRIBUTES = {"href", "title", "rel", "start", "align"}


class ElementCollector(HTMLParser):
    """The elements and attributes a browser would build from the HTML (text stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = ElementCollector()
    parser.feed(html)
    parser.close()
    return parser.elements


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralized(payload):
    html = str(render_markdown(payload))
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, html
        assert set(attrs) <= SAFE_ATTRIBUTES, html
        href = (attrs.get("href") or "").strip().lower()
        if href:
            assert re.match(r"^(https?:|mailto:|#|/)", href), html


def test_raw_html_is_shown_as_text_not_markup():
    html = str(render_markdown("<b>bold</b> and <script>alert(1)</script>"))
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_safe_markdown_still_renders():
    html = str(render_markdown("# Title\n\n**bold** _em_ ~~gone~~ `code`\n\n- one\n- two\n\n[site](https://example.com)"))
    assert "<h3>Title</h3>" in html  # headings start at h3 inside a page
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<s>gone</s>" in html or "<del>gone</del>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_mailto_links_are_kept():
    assert 'href="mailto:me@example.com"' in str(render_markdown("[mail](mailto:me@example.com)"))


def test_images_are_dropped():
    assert "<img" not in str(render_markdown("![cat](https://example.com/cat.png)"))


def test_empty_and_none():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""  # type: ignore[arg-type]


def test_template_filter_uses_the_sanitizer():
    out = Template("{% load courtyard %}{{ text|markdown }}").render(
        Context({"text": "<img src=x onerror=alert(1)> **ok**"})
    )
    assert "<strong>ok</strong>" in out
    assert "<img" not in out


def test_template_tags_escape_names():
    out = Template('{% load courtyard %}{% initials_avatar name 40 %}{% icon "x" label=name %}').render(
        Context({"name": '<script>x</script> "Eve"'})
    )
    assert "<script>" not in out
    assert "&quot;" in out or "&#x27;" in out or "&lt;" in out


def test_excerpts_are_the_plain_words_of_the_rendered_markdown():
    """Excerpts (home feed, search snippets) show what a reader sees, never the Markdown marks."""
    source = "**Edit:** bring _gloves_ & see [the list](https://x.example)\n\n- one\n- two\n\n# Title\n`code` ~~gone~~"
    assert markdown_to_text(source) == "Edit: bring gloves & see the list one two Title code gone"
    assert markdown_to_text("<b>not a tag</b> 5 < 6") == "<b>not a tag</b> 5 < 6"  # raw HTML stays words
    assert markdown_to_text("") == ""
    long = "Santa run " * 40
    cut = excerpt(long, 50)
    assert len(cut) <= 50
    assert cut == "Santa run Santa run Santa run Santa run Santa…"  # cut between words
    assert excerpt("short **one**", 50) == "short one"
    rendered = Template("{% load courtyard %}{{ text|excerpt:30 }}").render(Context({"text": "**Edit:** <i>x</i>"}))
    assert rendered == "Edit: &lt;i&gt;x&lt;/i&gt;"
