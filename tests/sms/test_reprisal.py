"""The filing conversation asks about fear of reprisal, as the web does: someone afraid
is filed with the web's "afraid" risk, and their phone then only hears that there is news."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models import Grievance
from remedy.models.grievance import ReprisalRisk
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from tests.sms.conftest import GREETINGS, NOT_A_REPLY, Phone, file_by_phone, rendered

LANGUAGES = ["en", "fr", "es", "sw", "ar"]


def acknowledgement(grievance: Grievance) -> str:
    """The acknowledgement the phone was sent (not the web copy a discreet case keeps)."""
    return db.session.scalars(
        select(OutboxMessage.body).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.channel == MessageChannel.SMS,
            NOT_A_REPLY,
        )
    ).one()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_question_comes_after_identity_and_before_contact(phone: Phone, language: str) -> None:
    phone.send(GREETINGS[language])
    phone.send("The pipe burst.")
    phone.send("0")
    phone.send("Voi")
    assert phone.send("1") == rendered(sms_texts.REPRISAL, language)
    assert phone.send("1") == rendered(sms_texts.CONTACT, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_someone_afraid_is_filed_with_a_high_risk_and_discreet_messages(
    phone: Phone, language: str
) -> None:
    filed = file_by_phone(phone, language, identity="1", reprisal="1")

    assert filed.grievance.reprisal_risk is ReprisalRisk.HIGH
    assert filed.grievance.discreet_messages is True
    # The phone only hears that there is news: the case number waits behind the PIN.
    assert display(filed.grievance.reference) not in acknowledgement(filed.grievance)


def test_someone_not_afraid_who_shares_their_identity_gets_plain_messages(phone: Phone) -> None:
    filed = file_by_phone(phone, "en", identity="1", reprisal="2")

    assert filed.grievance.reprisal_risk is ReprisalRisk.NONE
    assert filed.grievance.discreet_messages is False
    assert display(filed.grievance.reference) in acknowledgement(filed.grievance)
