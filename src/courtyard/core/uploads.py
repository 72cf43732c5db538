"""Who may open an uploaded file: a registry that each app fills for the folders its models upload to.

Core serves uploads (``core/web/views.py``: ``media``) but cannot know what a file belongs to, and it imports
no app. So an app that stores files registers, from its ``apps.py`` ``ready()``, one checker per folder
(``upload_to`` prefix): given the member and the file's name, it answers whether that member may read it,
following what the file belongs to (a photo its profile, a cover its group). A file in a folder nobody
registered is never served (import spools, for example, stay private).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

UploadChecker = Callable[[Any, str], bool]

_checkers: dict[str, UploadChecker] = {}


def upload_checker_register(folder: str, checker: UploadChecker) -> None:
    """``folder`` is the ``upload_to`` prefix with its trailing slash, e.g. ``"photos/"``; one checker each."""
    if not folder.endswith("/"):
        raise ValueError(f"An upload folder ends with '/': {folder!r}")
    registered = _checkers.get(folder)
    if registered is not None and registered is not checker:
        raise ValueError(f"The upload folder {folder!r} already has a checker")
    _checkers[folder] = checker


def may_view_upload(actor: Any, name: str) -> bool:
    """Whether ``actor`` may read the uploaded file ``name``: the checker of the innermost registered folder it
    is in decides (``events/photos/`` before ``events/``)."""
    folders = [folder for folder in _checkers if name.startswith(folder)]
    if not folders:
        return False
    return _checkers[max(folders, key=len)](actor, name)
