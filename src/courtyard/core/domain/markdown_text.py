"""Member-written Markdown as the plain words a reader sees, for excerpts and search snippets. Pure Python.

The text goes through the same Markdown parser as the page (so what counts as emphasis, a link or a code
span is decided once, not guessed by a regular expression) and every tag is then dropped by the same
sanitizer, keeping the words: ``**Edit:** see [the docs](https://…)`` reads "Edit: see the docs".
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# Where one block ends and the next begins: a space goes there so their words are not glued together.
_BLOCK_BREAK = re.compile(r"(</(?:p|li|td|th|h[1-6]|blockquote|pre|tr)>|<br\s*/?>|<hr\s*/?>)")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one Markdown dialect of Courtyard: CommonMark with tables and strikethrough, raw HTML off, line
    breaks kept. ``core.markdown`` renders pages with it."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def markdown_to_text(markdown: str) -> str:
    """The words of ``markdown`` on one line: no marks, no tags, entities decoded, spaces collapsed. Blocks
    (paragraphs, list items, table cells) are separated by a space, never glued together."""
    rendered = parser().render(markdown or "")
    rendered = _BLOCK_BREAK.sub(r" \1", rendered)
    words = nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(words).split())


def excerpt(markdown: str, length: int = 180) -> str:
    """At most ``length`` characters of the plain words, cut at a word boundary with "…" when shortened."""
    text = markdown_to_text(markdown)
    if len(text) <= length:
        return text
    cut = text[: max(1, length - 1)]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
