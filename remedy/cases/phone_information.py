"""What a person adds to their case by SMS beyond answering a step: a second message
after their answer joins it; a message about the case that answers nothing is kept
for the team. Neither is a workflow step. Only on the complainant's behalf (the
number of a person on the case); the team reads it with the case's added information.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases.intake import MAX_TEXT
from remedy.cases.policy import is_complainant
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.added_information import AddedInformation
from remedy.models.grievance import Grievance
from remedy.models.types import utcnow


def _checked(actor: Actor, grievance: Grievance, text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write the information you want to add."), "information")
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_TEXT), "information"
        )
    if not is_complainant(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    return text


@transactional
def extend_information(actor: Actor, added: AddedInformation, more: str) -> None:
    """More of the same answer (a second SMS right after the first): joined to it."""
    grievance = db.session.get(Grievance, added.grievance_id)
    assert grievance is not None
    more = _checked(actor, grievance, more)
    added.text = _checked(actor, grievance, f"{added.text}\n{more}")
    _touched(actor, grievance)


@transactional
def keep_message(actor: Actor, grievance: Grievance, text: str) -> AddedInformation:
    """A message about the case that answers no step: on the case, for the team."""
    added = AddedInformation(
        grievance_id=grievance.id, text=_checked(actor, grievance, text), added_by=actor.kind
    )
    db.session.add(added)
    _touched(actor, grievance)
    return added


def _touched(actor: Actor, grievance: Grievance) -> None:
    grievance.updated_at = utcnow()
    audit.record(actor, "grievance.add_information", "grievance", grievance.reference)
