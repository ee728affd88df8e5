"""Sensitive cases for the tests: one filed in a restricted category with a file attached,
and staff with and without the ``sensitive`` clearance."""

from __future__ import annotations

from remedy.accounts.clearance import set_sensitive_clearance
from remedy.accounts.users import create_user
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models import Category, Grievance, Role, User
from remedy.models.attachment import Attachment
from tests.support import PASSWORD
from tests.workflows.scenarios import Scenario

# Words that appear only in what the people told: a page or answer showing them leaks.
TOLD = "Quorvane assaulted me behind the clinic."
FILE_CONTENT = b"%PDF-1.4 medical report"


def sensitive_case(scenario: Scenario, category: Category = Category.SEXUAL_VIOLENCE) -> Grievance:
    """A grievance in a restricted category, with one file attached."""
    grievance = scenario.file(category=category, description=TOLD)
    db.session.add(
        Attachment(
            grievance_id=grievance.id,
            filename="report.pdf",
            content_type="application/pdf",
            size=len(FILE_CONTENT),
            content=FILE_CONTENT,
        )
    )
    db.session.commit()
    return grievance


def attachment_of(grievance: Grievance) -> Attachment:
    found = db.session.query(Attachment).filter_by(grievance_id=grievance.id).one()
    return found


def handler_cleared(email: str, cleared: bool = True) -> Actor:
    """A mechanism handler whose account is (or is not) cleared for sensitive cases."""
    user = create_user(OPERATOR, email, PASSWORD, Role.HANDLER)
    set_sensitive_clearance(OPERATOR, user, cleared)
    return Actor.for_user(user)


def account(actor: Actor) -> User:
    user = db.session.get(User, actor.user_id)
    assert user is not None
    return user
