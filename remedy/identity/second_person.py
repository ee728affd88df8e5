"""The rule every two-person decision shares (an identity reveal, an erasure request):
decided once, on the version shown, by someone other than the requester who may decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _

from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed

Request = TypeVar("Request")


def refuse_unless_second_person(
    actor: Actor,
    request: Any,
    pending: object,
    may_decide: Callable[[Actor, Request], bool],
    expected_version: int | None,
) -> None:
    """Raise unless ``actor`` may decide ``request`` now (it has ``status``, ``version`` and
    ``requested_by_user_id``)."""
    if expected_version is not None and expected_version != request.version:
        raise ConflictError("the request changed since it was shown")
    if request.status is not pending:
        raise InvalidInput(_("This request was already decided."), "decision")
    if actor.staff_user_id == request.requested_by_user_id:
        raise NotAllowed(_("A second person must decide on your own request."))
    if not may_decide(actor, request):
        raise NotAllowed(_("Only another protection officer or a mechanism supervisor can decide."))
