"""The ``sensitive`` clearance: which staff read sensitive cases (sexual and gender-based
violence, children, health). An admin grants and withdraws it; every change is audited,
since who could read such a case is what an inquiry into a leak asks first."""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.unit_of_work import transactional
from remedy.models.user import Role, User


@transactional
def set_sensitive_clearance(actor: Actor, user: User, cleared: bool) -> None:
    """Grant (``cleared``) or withdraw the clearance; a proxy's account never holds it."""
    if cleared and user.role is Role.PROXY_MEMBER:
        raise InvalidInput(_("Only remedy staff can be cleared for sensitive cases."), "sensitive")
    if user.sensitive == cleared:
        return
    before = {"sensitive": user.sensitive}
    user.sensitive = cleared
    audit.record(actor, "user.sensitive_clearance", "user", user.id, before, {"sensitive": cleared})
