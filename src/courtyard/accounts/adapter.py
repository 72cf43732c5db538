from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people join by invitation or are added by an admin or an import."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
