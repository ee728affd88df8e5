"""Errors that use cases raise, each with the HTTP status every adapter answers it with.

Pages, the console and the API read ``status`` from the error instead of keeping tables
of their own, so a refusal means the same on every channel: 403 not allowed, 404 not
found (or not visible: the two look the same), 409 a conflict with the case as it is
now, 422 input that breaks a rule, 429 too many attempts. The message is safe to show
to the person who asked, in their language.
"""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l


class ServiceError(Exception):
    """A use case refused: the message is safe to show to the person who asked."""

    status: ClassVar[int] = 400
    # The problem type the API names (``/api/problems/<slug>``); None: the status's own.
    slug: ClassVar[str | None] = None
    # The input at fault, when there is one (forms show the message beside it).
    field: str | None = None


class NotAllowed(ServiceError):
    """The actor may not do this."""

    status = 403


class NotFound(ServiceError):
    """Nothing by that name, or nothing this actor may see (the two look the same)."""

    status = 404


class InvalidInput(ServiceError):
    """The input breaks a rule; ``field`` names the input at fault when there is one."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TriggerRefused(InvalidInput):
    """The trigger is not possible now (wrong state, a missing field, a guard)."""

    status = 409
    slug = "trigger-refused"


class ConflictError(ServiceError):
    """Someone else changed the same record first; reload and try again.

    The argument says what conflicted, for logs; people are shown ``str()``, in their
    language.
    """

    status = 409
    slug = "version-conflict"
    public_message = _l(
        "Someone else changed this case since you opened it. Nothing was saved: check the "
        "case as it is now, then try again."
    )

    def __str__(self) -> str:
        return str(self.public_message)
