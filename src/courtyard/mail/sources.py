"""Where the notices that emails tell about come from, filled by the apps above mail.

mail sits below notifications in the stack (docs/architecture.md), so it never imports it. The notifications
app registers itself here from its ``ready()`` as the source ``notification``: given a member and the ids of
their notices, it answers what each says *now*, leaving out every notice whose target the member may no
longer read and every kind they no longer want by email (so an email re-checks both at send time). It also
says which kinds exist (labels for the unsubscribe page) and how to stop emailing a kind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from courtyard.accounts.models import User
from courtyard.mail.domain.items import MailItem

# (member, ids) -> the items the member may read and still wants by email, in the active language.
Loader = Callable[[User, Sequence[int]], list[MailItem]]
# () -> {kind key: label in the active language}
Kinds = Callable[[], dict[str, str]]
# (member, kind key) -> None: stop emailing this kind to the member (it stays in the app).
Unsubscribe = Callable[[User, str], None]


@dataclasses.dataclass(frozen=True)
class Source:
    name: str
    load: Loader
    kinds: Kinds
    unsubscribe: Unsubscribe


_SOURCES: dict[str, Source] = {}


def register(name: str, *, load: Loader, kinds: Kinds, unsubscribe: Unsubscribe) -> None:
    _SOURCES[name] = Source(name=name, load=load, kinds=kinds, unsubscribe=unsubscribe)


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def source(name: str) -> Source | None:
    return _SOURCES.get(name)


def all_kinds() -> dict[str, str]:
    """Every kind any source emails about, with its label."""
    found: dict[str, str] = {}
    for registered in _SOURCES.values():
        found.update(registered.kinds())
    return found


def source_of_kind(kind: str) -> Source | None:
    for registered in _SOURCES.values():
        if kind in registered.kinds():
            return registered
    return None
