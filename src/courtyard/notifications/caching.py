"""Cache keys of the notifications app, shared by the services that clear them and the selectors that fill
them (so neither imports the other)."""

from __future__ import annotations


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"
