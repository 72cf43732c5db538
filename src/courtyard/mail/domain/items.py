"""What an email says about one notice, as plain data (filled by the notice's source, rendered by mail)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re


@dataclasses.dataclass(frozen=True)
class MailItem:
    source_id: int
    kind: str
    kind_label: str  # already translated into the member's language
    text: str
    url: str  # a local path on this site
    created_at: dt.datetime
    object_type: str = ""
    object_id: int | None = None


SUBJECT_LENGTH = 150
SUBJECT_SHORTEST = 12  # a shorter first sentence says too little: the whole notice is used instead


def headline(text: str) -> str:
    """A notice as a subject line: one line (a header never carries a line break), its first sentence, without
    the details in brackets (the body has them all), and no longer than a mail client shows."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    first = " ".join(re.sub(r"\s*\([^()]*\)", "", first).split())
    if len(first) >= SUBJECT_SHORTEST:
        text = first.rstrip(".")
    return text if len(text) <= SUBJECT_LENGTH else text[: SUBJECT_LENGTH - 1] + "…"
