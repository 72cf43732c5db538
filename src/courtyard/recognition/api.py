"""The recognition API: thin handlers over access, services and selectors."""

from __future__ import annotations

from ninja import Router

router = Router()
