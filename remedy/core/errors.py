"""Errors that services raise; views turn them into clear messages, never a 500."""

from __future__ import annotations


class ServiceError(Exception):
    """A use case refused: the message is safe to show to the person who asked."""


class NotAllowed(ServiceError):
    """The actor may not do this."""


class NotFound(ServiceError):
    """Nothing by that name, or nothing this actor may see (the two look the same)."""


class InvalidInput(ServiceError):
    """The input breaks a rule; ``field`` names the input at fault when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
