"""Technology harms on a case: its category, whether the person uses the product or
service, and an account, content or flag id in another system (the external reference).

All three are asked at filing on the web, the portal and the API; SMS and voice ask none
(their menus stay short), so the mechanism's team records or corrects them here: a case
filed by phone about an automated decision gets its category, and with it the
explanation step, this way. An
account id can name the person, so the reference is encrypted, read only by those who
may see who the people are, and changed only by the mechanism's case workers who may.
The audit log says that it changed, never what it says.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases.policy import CASE_WORKERS
from remedy.cases.sensitive import may_read_category, may_read_contents
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_change, may_see_identity
from remedy.models.grievance import (
    MAX_EXTERNAL_REFERENCE_LENGTH,
    Category,
    Grievance,
    ProductUser,
)
from remedy.models.types import utcnow

# What an id on one line may not hold: control characters (C0, DEL, C1) and line breaks.
# A rule of characters, not of Unicode's categories, so the API's document can state it
# as a pattern that every reader applies alike.
NOT_ON_ONE_LINE = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_BREAKS_THE_LINE = re.compile(f"[{NOT_ON_ONE_LINE}]")


def clean_external_reference(value: str | None) -> str | None:
    """An account, content or flag id: one line of text, bounded; None if blank."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_EXTERNAL_REFERENCE_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_EXTERNAL_REFERENCE_LENGTH),
            "external_reference",
        )
    if _BREAKS_THE_LINE.search(cleaned):
        raise InvalidInput(
            _("Give the account, content or flag id on one line, as it is shown."),
            "external_reference",
        )
    return cleaned


def may_read_external_reference(actor: Actor, grievance: Grievance) -> bool:
    return may_see_identity(actor, grievance)


def may_record(actor: Actor, grievance: Grievance) -> bool:
    """The mechanism's own case workers who read what the people told (a category changes
    who reads it). The external reference can name a person: only those of them who may
    see who the people are read or change it, but a case whose people withheld who they
    are still gets its category (or it could never be explained as automated)."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in CASE_WORKERS
        and may_change(actor)
        and may_read_contents(actor, grievance)
    )


@transactional
def record_details(
    actor: Actor,
    grievance: Grievance,
    category: Category | None,
    product_user: ProductUser | None,
    external_reference: str | None,
) -> None:
    """Record (or correct) the category, whether the person uses the product, and the
    external reference."""
    if not may_record(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if not may_read_category(actor, category):
        raise InvalidInput(
            _("Only staff cleared for sensitive cases may choose this category."), "category"
        )
    if may_read_external_reference(actor, grievance):
        cleaned = clean_external_reference(external_reference)
    else:  # not on their form, and not theirs to change
        cleaned = grievance.external_reference
    before = {
        "category": grievance.category,
        "product_user": grievance.product_user,
        "external_reference": grievance.external_reference is not None,
    }
    changed = (
        category is not grievance.category
        or product_user is not grievance.product_user
        or cleaned != grievance.external_reference
    )
    if not changed:
        raise InvalidInput(_("Nothing changed."), "category")
    grievance.category = category
    grievance.product_user = product_user
    grievance.external_reference = cleaned
    grievance.updated_at = utcnow()
    audit.record(
        actor,
        "grievance.technology",
        "grievance",
        grievance.reference,
        before=before,
        after={
            "category": category,
            "product_user": product_user,
            "external_reference": cleaned is not None,
        },
    )
