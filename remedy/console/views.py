"""The console blueprint, its navigation, and its front page: the queue.

Views only parse input, call a service and render. Two rules hold for every console
route, whoever wrote it: only staff open the console (each route says which roles), and
auditors and administrators, who read case work but never change it, are refused every
POST here, before any view runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from remedy.auth.sessions import roles_required
from remedy.console.queue import show_queue
from remedy.core.actors import Actor
from remedy.identity.visibility import may_change
from remedy.models.user import Role

bp = Blueprint("console", __name__, url_prefix="/console")
STAFF = tuple(role for role in Role if role.is_staff)
# Who reads the supervisor view: supervisors, and auditors (who read everything they may).
SUPERVISION = (Role.SUPERVISOR, Role.AUDITOR)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_actor() -> Actor:
    return Actor.for_user(current_user)


@dataclass(frozen=True)
class NavLink:
    """One entry of the console's navigation; other console modules may append their own."""

    key: str
    label: LazyString
    endpoint: str
    values: Mapping[str, str] = field(default_factory=dict)
    roles: tuple[Role, ...] = STAFF
    # Only for the mechanism's own team, never for staff of an organisation involved.
    mechanism_only: bool = False


NAV: list[NavLink] = [
    NavLink("queue", _l("Queue"), "console.home"),
    NavLink("mine", _l("My cases"), "console.home", {"view": "mine"}),
    NavLink("overdue", _l("Overdue"), "console.home", {"view": "overdue"}),
    NavLink("awaiting", _l("Awaiting the complainant"), "console.home", {"view": "awaiting"}),
    NavLink("supervisor", _l("Supervisor"), "console.supervisor", roles=SUPERVISION),
]


def current_nav_key() -> str | None:
    if request.endpoint == "console.home":
        return request.args.get("view") or "queue"
    for link in NAV:
        if link.endpoint == request.endpoint and not link.values:
            return link.key
    return None


@bp.context_processor
def console_navigation() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"console_nav": [], "console_nav_current": None}
    links = [
        link
        for link in NAV
        if current_user.role in link.roles
        and not (link.mechanism_only and current_user.organisation_id is not None)
    ]
    return {"console_nav": links, "console_nav_current": current_nav_key()}


@bp.before_request
def _read_only_roles_change_nothing() -> None:
    if request.method in SAFE_METHODS or not current_user.is_authenticated:
        return
    if not may_change(current_actor()):
        abort(403)


@bp.route("/")
@roles_required(*STAFF)
def home() -> tuple[str, int]:
    return show_queue(current_actor())
