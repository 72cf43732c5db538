from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext

from courtyard.core.domain.markdown_text import excerpt
from courtyard.core.markdown import render_markdown

register = template.Library()

AVATAR_COLOURS = ["#2d5d7b", "#7a3e65", "#3f6d3a", "#8a4b14", "#4b4a8c", "#1f6f6f", "#8c2f39", "#5b5b5b"]


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter(name="excerpt")
def excerpt_filter(text: str, length: int = 180) -> str:
    """Member-written Markdown as a short plain-text excerpt (``{{ post.body|excerpt:180 }}``): the words
    without marks, never raw ``**`` or link syntax. Escaped by the template like any text."""
    return excerpt(text, int(length))


@register.filter
def and_separator(forloop: dict[str, Any]) -> str:
    """What goes before an item of a list read as a sentence: nothing before the first, "and" before the last,
    a comma otherwise ("Ana", "Ana and Bo", "Ana, Bo and Cy"), as Django's ``get_text_list`` joins plain
    text. For lists whose items are markup (links): ``{% for p in people %}{{ forloop|and_separator }}…``."""
    if forloop["first"]:
        return ""
    if forloop["last"]:
        return " " + gettext("and") + " "
    return ", "


@register.filter
def and_join(items: Iterable[object]) -> str:
    """Plain items as a sentence list, "Ana, Bo and Cy" (translated "and"); escaped by the template."""
    return get_text_list([str(item) for item in items], gettext("and"))


@register.simple_tag
def icon(name: str, label: str = "", size: int = 16) -> SafeString:
    """An icon from the vendored sprite; decorative unless a label is given."""
    if label:
        return format_html(
            '<svg class="bi" width="{}" height="{}" role="img" aria-label="{}"><use href="{}#{}"></use></svg>',
            size, size, label, static("icons.svg"), name,
        )
    return format_html(
        '<svg class="bi" width="{}" height="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        size, size, static("icons.svg"), name,
    )


@register.simple_tag
def initials_avatar(name: str, size: int = 48) -> SafeString:
    """A generated avatar for people without a photo: initials on a colour derived from the name."""
    words = [w for w in (name or "?").split() if w]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    colour = AVATAR_COLOURS[int(hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest(), 16) % len(AVATAR_COLOURS)]
    return format_html(
        '<svg class="avatar" width="{0}" height="{0}" viewBox="0 0 40 40" aria-hidden="true" focusable="false">'
        '<circle cx="20" cy="20" r="20" fill="{1}"/>'
        '<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" font-size="15" '
        'font-family="system-ui,sans-serif" font-weight="600">{2}</text></svg>',
        size, colour, initials,
    )


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters changed (pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + params.urlencode() if params else "?"
