"""What an email says about one notice, as plain data (filled by the notice's source, rendered by mail)."""

from __future__ import annotations

import dataclasses
import datetime as dt


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
