"""Later information by MMS or WhatsApp: a photo or a voice note sent to answer the team's
question joins the case, even without words, and so does one sent just after the answer."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models import AddedInformation, Attachment
from remedy.sms.media import fetch_pending_media
from tests.sms.conftest import rendered
from tests.sms.test_information import awaiting_answer
from tests.sms.test_media import PHOTO, VOICE, MediaServer, app_overrides, media, media_server
from tests.workflows.scenarios import Scenario

# The media server and Twilio's settings of the media tests.
__all__ = ["app_overrides", "media_server"]


def files_of(grievance_id: int) -> list[bytes]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(Attachment).where(Attachment.grievance_id == grievance_id).order_by(Attachment.id)
    )
    return [row.content for row in rows]


def test_a_photo_alone_answers_the_teams_question_and_joins_the_case(
    client: FlaskClient, scenario: Scenario, media_server: MediaServer
) -> None:
    grievance, phone = awaiting_answer(scenario, client)
    photo = media_server.add("ME21", PHOTO)

    reply = phone.send("", **media((photo, "image/jpeg")))

    assert reply == rendered(sms_texts.INFORMATION_THANKS, "en")
    assert phone.conversations() == []  # an answer, not a new complaint
    (added,) = db.session.scalars(
        select(AddedInformation).where(AddedInformation.grievance_id == grievance.id)
    ).all()
    assert added.text == "Told only in the photos or recordings attached."
    db.session.refresh(grievance)
    assert grievance.state == "screening"
    assert fetch_pending_media() == 1
    assert files_of(grievance.id) == [PHOTO]


def test_a_voice_note_sent_after_the_answer_joins_the_case_too(
    client: FlaskClient, scenario: Scenario, media_server: MediaServer
) -> None:
    grievance, phone = awaiting_answer(scenario, client)
    phone.send("The fence is back at the river.")
    voice = media_server.add("ME22", VOICE)

    reply = phone.send("", **media((voice, "audio/ogg")))

    assert reply == rendered(sms_texts.ANSWER_ADDED, "en")
    assert fetch_pending_media() == 1
    assert files_of(grievance.id) == [VOICE]
