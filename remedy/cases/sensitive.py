"""Sensitive cases: sexual and gender-based violence, children and health.

What the people told about such a case (its description and attachments) is read only by
staff whose account carries the ``sensitive`` clearance, which an admin sets. Everyone
else on the team sees the category and a marker. The console, the queue and the API ask
this one rule, so no surface can show more than another.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.models.grievance import Category, Grievance
from remedy.models.user import User

RESTRICTED_MARKER = _l("Restricted: sensitive case")


def is_restricted(category: Category | None) -> bool:
    return category is not None and category.restricted


def cleared_for_sensitive(actor: Actor) -> bool:
    """Read from the account each time, so a withdrawn clearance takes effect at once."""
    if actor.user_id is None:
        return False
    user = db.session.get(User, actor.user_id)
    return user is not None and user.active and user.sensitive


def may_read_category(actor: Actor, category: Category | None) -> bool:
    """Whether ``actor`` may read what was told in a case of this category.

    The people themselves (and Remedy) always may; staff and proxies only when the
    category is not restricted or their account is cleared.
    """
    if actor.kind in (ActorKind.COMPLAINANT, ActorKind.SYSTEM, ActorKind.OPERATOR):
        return True
    return not is_restricted(category) or cleared_for_sensitive(actor)


def may_read_contents(actor: Actor, grievance: Grievance) -> bool:
    """The description and attachments of ``grievance``: the rule every surface asks."""
    return may_read_category(actor, grievance.category)
