"""The reply composer: canned replies in the complainant's language, the SMS segment count,
and replies that go out through the outbox like every other message."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import replies
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.messaging.templates import DISCREET
from remedy.models import AuditEvent, Grievance, ReprisalRisk, TrackKind
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from tests.console.case_support import Console, console_for, text_of
from tests.workflows.scenarios import Scenario


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def replies_of(grievance: Grievance) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.template == replies.TEMPLATE_NAME,
            )
            .order_by(OutboxMessage.id)
        )
    )


def test_preview_fills_in_the_canned_reply_in_the_complainants_language_with_its_segments(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(
        language="sw", complainant=PersonDetails("Amina", "+254711000001", "sw")
    )

    response = handler.post(grievance, "/replies", {"template": "received", "action": "preview"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = replies.canned("received", "sw", grievance)
    assert display(grievance.reference) in expected
    assert expected in html  # shown, and put in the box to edit
    assert f">{expected}</textarea>" in html
    page = text_of(html)
    assert "1 SMS segment" in page
    assert "GSM-7" in page
    assert replies_of(grievance) == []  # a preview sends nothing


def test_a_long_or_unicode_reply_shows_its_real_cost(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file()

    long = handler.post(grievance, "/replies", {"body": "a" * 161, "action": "preview"})
    arabic = handler.post(grievance, "/replies", {"body": "شكرا " * 15, "action": "preview"})

    assert "2 SMS segments" in text_of(long.get_data(as_text=True))
    page = text_of(arabic.get_data(as_text=True))
    assert "2 SMS segments" in page
    assert "Unicode (UCS-2)" in page


def test_a_canned_reply_reaches_each_person_in_their_own_language(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(
        language="en",
        complainant=PersonDetails("Amina", "+254711000001", "sw"),
        affected=[PersonDetails("Jean", "+254711000002", "fr")],
    )

    response = handler.post(grievance, "/replies", {"template": "will_call", "action": "send"})

    assert response.status_code == 302
    sent = replies_of(grievance)
    assert [(m.language, m.body) for m in sent] == [
        ("sw", replies.canned("will_call", "sw", grievance)),
        ("fr", replies.canned("will_call", "fr", grievance)),
    ]
    assert all(m.channel is MessageChannel.SMS and m.status is MessageStatus.PENDING for m in sent)
    assert "The reply is on its way to 2 phones." in text_of(handler.html(grievance))


def test_a_previewed_canned_reply_left_unchanged_still_goes_in_each_language(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(
        language="en",
        complainant=PersonDetails("Amina", "+254711000001", "en"),
        affected=[PersonDetails("Jean", "+254711000002", "fr")],
    )
    shown = replies.canned("received", "en", grievance)

    handler.post(grievance, "/replies", {"template": "received", "body": shown, "action": "send"})

    assert [m.body for m in replies_of(grievance)] == [
        shown,
        replies.canned("received", "fr", grievance),
    ]


def test_a_written_reply_goes_as_written_and_is_audited_without_its_text(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()

    handler.post(grievance, "/replies", {"body": "We visit on Monday.", "action": "send"})

    (message,) = replies_of(grievance)
    assert message.body == "We visit on Monday."
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reply.send"))
    assert "Monday" not in str(event.after)
    assert "We visit on Monday." in text_of(handler.html(grievance))  # in the timeline


def test_in_discreet_mode_the_phone_only_hears_there_is_news(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(reprisal_risk=ReprisalRisk.HIGH)
    preview = handler.post(
        grievance, "/replies", {"body": "We visit on Monday.", "action": "preview"}
    )
    assert "Discreet messages are on" in text_of(preview.get_data(as_text=True))

    handler.post(grievance, "/replies", {"body": "We visit on Monday.", "action": "send"})

    sms, web = replies_of(grievance)
    assert (sms.channel, sms.body) == (MessageChannel.SMS, str(DISCREET))
    assert (web.channel, web.body, web.address) == (MessageChannel.WEB, "We visit on Monday.", None)
    assert web.status is MessageStatus.STORED


def test_an_empty_reply_is_refused_and_nothing_is_queued(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()

    empty = handler.post(grievance, "/replies", {"body": "  ", "action": "send"})
    unknown = handler.post(grievance, "/replies", {"template": "threat", "action": "send"})
    huge = handler.post(grievance, "/replies", {"body": "x" * 1601, "action": "preview"})

    assert empty.status_code == 422
    assert "Write the reply or choose one of the listed replies." in text_of(
        empty.get_data(as_text=True)
    )
    assert unknown.status_code == 422
    assert huge.status_code == 400
    assert replies_of(grievance) == []


def test_only_the_mechanisms_case_workers_write_to_the_people(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    company = console_for(app, scenario.company_handler)

    assert 'id="reply-form"' not in company.html(grievance)
    response = company.post(grievance, "/replies", {"body": "Hello.", "action": "send"})

    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        replies.send_reply(scenario.auditor, grievance, "Hello.")
    assert replies_of(grievance) == []


def test_a_case_nobody_can_be_written_to(scenario: Scenario) -> None:
    grievance = scenario.file(people=0)

    with pytest.raises(InvalidInput):
        replies.send_reply(scenario.handler, grievance, "Hello.")
