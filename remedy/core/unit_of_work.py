"""One unit of work per use case: everything it changes commits together or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from remedy.core.errors import ConflictError as ConflictError  # what atomic() raises
from remedy.core.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("remedy_transaction_depth", default=0)


@contextmanager
def atomic() -> Iterator[None]:
    """Commit when the outermost block ends, roll back everything on any exception."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        yield
        if depth == 0:
            db.session.commit()
    except StaleDataError as exc:
        if depth == 0:
            db.session.rollback()
        raise ConflictError("the record was changed by someone else") from exc
    except BaseException:
        if depth == 0:
            db.session.rollback()
        raise
    finally:
        _depth.reset(token)


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service function as one unit of work (nested calls join the outer one)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with atomic():
            return func(*args, **kwargs)

    return wrapper


class NestedDurableWork(RuntimeError):
    """``durable()`` was entered inside another unit of work."""


@contextmanager
def durable() -> Iterator[None]:
    """A unit of work that must commit on its own, whatever happens next.

    Counting a wrong PIN or reset code, a token's last use, a delivery report: each must be
    kept even when the request then fails. Committing them inside someone else's unit of
    work would commit that caller's half-done work too, so this refuses to run nested or
    with changes waiting in the session (after Zulip's ``transaction.atomic(durable=True)``).
    """
    session = db.session
    if _depth.get() != 0 or session.new or session.dirty or session.deleted:
        raise NestedDurableWork("durable work must not run inside another unit of work")
    with atomic():
        yield
