# The parts of Flask-Login 0.6 that Remedy uses, typed: the package ships no annotations, so
# its decorator would leave the views it wraps untyped. Checked against flask_login/*.py.
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

from flask import Flask
from werkzeug.wrappers import Response

_P = ParamSpec("_P")
_R = TypeVar("_R")
_C = TypeVar("_C", bound=Callable[..., Any])

class UserMixin:
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...

class LoginManager:
    login_view: str | None
    login_message: Any
    login_message_category: str
    session_protection: str | None
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _C) -> _C: ...
    def unauthorized(self) -> Response: ...

# A proxy to the signed-in account or the anonymous user: either, so Any.
current_user: Any

def login_required(func: Callable[_P, _R]) -> Callable[_P, _R]: ...
def login_user(
    user: UserMixin,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool: ...
def logout_user() -> bool: ...

# Incomplete: the names not declared above stay Any.
def __getattr__(name: str) -> Any: ...
