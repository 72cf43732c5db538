"""Blocks that apps above people add to a profile page (recognition's kudos and badges, for one).

People sits below those apps in the stack, so its profile page cannot import them. Each registers, from its
own ``AppConfig.ready()``, a function that reads its block for a profile as a viewer may see it; the page
puts each block's answer in its context under the block's name, and the profile template includes the
app's own partial. A block's reader owns its queries and its privacy rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from courtyard.accounts.models import User
from courtyard.people.models import Profile

# What a block shows of this profile to this viewer, as template context.
BlockReader = Callable[[Profile, User], dict[str, Any]]

_BLOCKS: dict[str, BlockReader] = {}


def register(name: str, reader: BlockReader) -> None:
    """Add (or replace) the block ``name`` on every profile page (called from ready())."""
    _BLOCKS[name] = reader


def blocks_for(profile: Profile, viewer: User) -> dict[str, dict[str, Any]]:
    """Every registered block of this profile, as this viewer may see it, by name."""
    return {name: reader(profile, viewer) for name, reader in _BLOCKS.items()}
