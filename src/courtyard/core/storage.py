"""Uploaded files on disk: a write that fails (a full or read-only disk) leaves nothing behind and says why."""

from __future__ import annotations

import errno
import logging
import os
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from courtyard.core.errors import ApplicationError

logger = logging.getLogger(__name__)


class StorageUnavailable(ApplicationError):
    """The file could not be stored. Nothing was kept: the member may try again later."""


class SafeFileSystemStorage(FileSystemStorage):
    """Django's file storage, except that a failed write removes the part already written and raises a
    refusal the member understands (the service's transaction then rolls back, so no row changes either)."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)  # type: ignore[misc]  # Django's, undeclared in django-stubs
        except FileExistsError:
            raise
        except OSError as exc:
            if not existed:
                try:
                    os.remove(full_path)
                except FileNotFoundError:
                    pass
                except OSError:
                    logger.exception("could not remove the partly written upload %s", full_path)
            logger.error("could not store an upload (%s): %s", errno.errorcode.get(exc.errno or 0, "?"), exc)
            if exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
                message = _("The server has no room for this file right now. Nothing was saved; please try again later.")
            else:
                message = _("The server cannot store files right now. Nothing was saved; please try again later.")
            raise StorageUnavailable(message, code="storage_unavailable") from exc
