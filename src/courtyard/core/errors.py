"""The one error type of the application. Web and API each map it to a response in one place."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal a person can understand: bad input, a conflict, a missing permission.

    ``code`` is stable for clients, ``message`` is for people, ``status`` is the HTTP status it maps to,
    ``details`` carries field or line errors.
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        status: int | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(ApplicationError):
    """Missing and forbidden look the same from outside, so nobody learns what exists."""

    status = 404

    def __init__(self, message: str = "Not found.", *, code: str = "not_found") -> None:
        super().__init__(message, code=code)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, message: str = "You are not allowed to do that.", *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)


class Conflict(ApplicationError):
    status = 409
