"""What text and numbers people send may hold: pure rules, used by every surface (see core/validation.py).

Text is normalized to NFC, so the same name typed on two keyboards is stored the same way, and refused
when it carries characters a person cannot see but that change what others read or break what reads
it: control characters (a NUL ends strings in C libraries and calendar clients), bidirectional
overrides, embeddings and isolates (U+202E makes a name read backwards from that point), and zero-width
characters that make two names look identical. Multiline text keeps line breaks and tabs.

Ids and other integers are bounded to what the database stores (a signed 64-bit integer), so an absurd
value is a clear refusal, never an overflow deep in a database driver.
"""

from __future__ import annotations

import unicodedata

DB_ID_MIN = 1
DB_ID_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

# Invisible format characters that reorder or hide text. U+200C/U+200D (zero-width (non-)joiner) are
# allowed: Persian and Indic scripts and emoji sequences need them.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u2028\u2029\ufff9\ufffa\ufffb")
_MULTILINE_WHITESPACE = frozenset("\n\t\r")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` is refused (a sentence naming the first offending character), or None if it is fine."""
    for char in value:
        if multiline and char in _MULTILINE_WHITESPACE:
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            if char in "\n\r":
                return "must be a single line"
            return f"contains a control character (U+{ord(char):04X})"
        if char in _BIDI_CONTROLS:
            return f"contains a text-direction control character (U+{ord(char):04X}) that can disguise text"
        if char in _INVISIBLE or category == "Cs":
            return f"contains an invisible character (U+{ord(char):04X})"
    return None


def normalize_text(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def id_problem(value: int) -> str | None:
    if not DB_ID_MIN <= value <= DB_ID_MAX:
        return f"must be an id between {DB_ID_MIN} and {DB_ID_MAX}"
    return None


def int_problem(value: int) -> str | None:
    if not DB_INT_MIN <= value <= DB_INT_MAX:
        return "is out of range"
    return None


def without_refused(value: str, *, multiline: bool = False) -> str:
    """``value`` with every character the rule refuses dropped (line breaks become spaces in single-line text),
    for output that must never carry them, whatever older data holds (calendar files, say)."""
    value = value.replace("\r\n", "\n")
    kept = []
    for char in value:
        if char == "\r":
            char = "\n"
        if char == "\n" and not multiline:
            kept.append(" ")
        elif text_problem(char, multiline=multiline) is None:
            kept.append(char)
    return "".join(kept)
