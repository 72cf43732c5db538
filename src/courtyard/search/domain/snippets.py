"""Snippets for search results: the passage around the first matching word, with matches marked."""

from __future__ import annotations

import html
import re

from courtyard.core.domain.markdown_text import markdown_to_text
from courtyard.search.domain.text import normalize_text


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The text folded (lower case, no accents), and for each folded character its index in the original."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for piece in normalize_text(ch):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees (links become their text, emphasis and list marks go): the same
    plain text as the excerpts on the home page and elsewhere."""
    return markdown_to_text(markdown)


def snippet(text: str, tokens: list[str], *, width: int = 180) -> str:
    """Escaped HTML: a window of ``text`` around the first match, every word starting with a token in <mark>."""
    text = " ".join(plain_text(text).split())
    if not text:
        return ""
    folded, origin = _folded_with_map(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in tokens if t) + r")\w*") if tokens else None
    first = pattern.search(folded) if pattern else None
    start = 0
    if first is not None:
        start = max(0, origin[first.start()] - width // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    if pattern is None:
        return prefix + html.escape(window) + suffix
    window_folded, window_origin = _folded_with_map(window)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(window_folded):
        a, b = window_origin[match.start()], window_origin[match.end() - 1] + 1
        out.append(html.escape(window[last:a]))
        out.append("<mark>" + html.escape(window[a:b]) + "</mark>")
        last = b
    out.append(html.escape(window[last:]))
    return prefix + "".join(out) + suffix
