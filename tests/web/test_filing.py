"""Filing on the web: one question per page, a draft kept on the server, the reference and
PIN on the result page, and a receipt that proves when the grievance was filed."""

from __future__ import annotations

import base64
import io
import re
import zlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from remedy.access.case_access import open_case
from remedy.core.extensions import db
from remedy.filing.receipts import verify_receipt
from remedy.models.attachment import Attachment
from remedy.models.grievance import Category, Channel, Grievance, ReprisalRisk
from remedy.models.grievance_person import PersonRole
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.models.types import utcnow
from remedy.models.web_draft import WebDraft
from tests.web.conftest import ANSWERS, DESCRIPTION, PHONE, STEPS, WebVisitor

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OGG = b"OggS" + b"\x00" * 64


def grievance(reference: str) -> Grievance:
    return db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()


def errors_on(html: str) -> dict[str, str]:
    """Each error shown beside a field, by the field's id."""
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">([^<]*)</p>', html))


# The whole way ------------------------------------------------------------------------------


def test_a_person_files_in_short_steps_and_gets_a_reference_and_pin(visitor: WebVisitor) -> None:
    reference, pin = visitor.file()

    filed = grievance(reference)
    assert filed.channel is Channel.WEB
    assert filed.state == "screening"  # acknowledged at once
    assert filed.description == DESCRIPTION
    assert filed.category is Category.LAND
    assert filed.location == "Kaptagat, near the school"
    assert filed.harm_date is not None
    assert filed.harm_date.isoformat() == "2024-03-31"
    assert filed.people_affected == 40
    assert filed.identity_withheld is True
    assert filed.contact_consent is True
    assert filed.contact_channel is Channel.SMS
    assert filed.reprisal_risk is ReprisalRisk.NONE
    (link,) = filed.people
    assert link.role is PersonRole.COMPLAINANT
    assert (link.person.name, link.person.phone) == ("Amina Wanjiru", PHONE)
    assert open_case(reference, pin, source="test") == filed


def test_the_result_page_shows_the_reference_and_pin_large_and_explains_them(
    visitor: WebVisitor,
) -> None:
    reference, pin = visitor.file()
    html = visitor.get("/file/done").get_data(as_text=True)

    assert f'class="big-number" id="reference" dir="ltr">{reference[:4]} {reference[4:]}<' in html
    assert f'class="big-number" id="pin" dir="ltr">{pin[:3]} {pin[3:]}<' in html
    assert "keep it secret" in html
    assert "What happens next" in html


def test_every_step_asks_one_question_under_one_heading(visitor: WebVisitor) -> None:
    for number, step in enumerate(STEPS, start=1):
        html = visitor.get(f"/file/{step}").get_data(as_text=True)
        assert len(re.findall(r"<h1", html)) == 1, step
        assert f"Question {number} of {len(STEPS) + 1}" in html
        visitor.answer(step)


def test_pictograms_stand_beside_the_words_and_are_hidden_from_screen_readers(
    visitor: WebVisitor,
) -> None:
    visitor.answer("what")
    html = visitor.get("/file/category").get_data(as_text=True)

    labels = re.findall(r'<label for="category-\d+">(.*?)</label>', html, re.S)
    assert len(labels) == len(Category)
    for label in labels:
        assert re.match(r'<svg class="picto" aria-hidden="true" focusable="false"', label)
        assert re.search(r"<span>\w", label), "a pictogram without words"


def test_the_draft_lives_on_the_server_encrypted_and_the_cookie_holds_only_a_token(
    app: Flask, visitor: WebVisitor
) -> None:
    for step in ("what", "category", "where", "when", "who", "identity", "contact"):
        visitor.answer(step)

    cookie = visitor.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    payload = cookie.value.split(".")[1 if cookie.value.startswith(".") else 0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    decoded = zlib.decompress(data) if cookie.value.startswith(".") else data
    # The whole number: three digits alone turn up in a random token one run in a hundred.
    for secret in (b"fence", b"Amina", b"712000001", b"Kaptagat"):
        assert secret not in decoded
    raw = db.session.execute(text("SELECT answers FROM web_drafts")).scalar_one()
    assert b"fence" not in bytes(raw)
    assert b"Amina" not in bytes(raw)


def test_filing_deletes_the_draft(visitor: WebVisitor) -> None:
    visitor.file()

    assert db.session.scalar(select(WebDraft)) is None


def acknowledgement_sent() -> OutboxMessage:
    """The acknowledgement on the person's own channel (not the web copy discreet mode keeps)."""
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.not_like("%:web"))
    ).one()


def test_the_grievance_is_in_the_language_the_person_used(visitor: WebVisitor) -> None:
    visitor.get("/?lang=fr")
    reference, _pin = visitor.file()

    filed = grievance(reference)
    assert filed.language == "fr"
    assert filed.people[0].person.language == "fr"
    acknowledgement = acknowledgement_sent()
    assert "Nous avons" in acknowledgement.body or acknowledgement.language == "fr"


# Going back and forth ------------------------------------------------------------------------


def test_continue_leads_to_the_next_question_and_back_to_the_previous_one(
    visitor: WebVisitor,
) -> None:
    for index, step in enumerate(STEPS):
        html = visitor.get(f"/file/{step}").get_data(as_text=True)
        back = re.search(r'<a class="button button-secondary" href="([^"]+)">Back</a>', html)
        assert back is not None
        assert back.group(1) == ("/" if index == 0 else f"/file/{STEPS[index - 1]}")
        response = visitor.answer(step)
        following = STEPS[index + 1] if index + 1 < len(STEPS) else "review"
        assert response.location == f"/file/{following}"


def test_going_back_shows_the_answers_already_given(visitor: WebVisitor) -> None:
    for step in ("what", "category", "where", "when", "who", "identity", "contact"):
        visitor.answer(step)

    assert DESCRIPTION in visitor.get("/file/what").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="land"', visitor.get("/file/category").text)
    assert 'value="+254712000001"' in visitor.get("/file/contact").get_data(as_text=True)


def test_a_step_cannot_be_skipped(visitor: WebVisitor) -> None:
    assert visitor.get("/file/contact").location == "/file/what"
    visitor.answer("what")
    assert visitor.get("/file/identity").location == "/file/category"
    assert visitor.get("/file/review").location == "/file/category"


def test_an_unknown_step_is_not_found(visitor: WebVisitor) -> None:
    assert visitor.get("/file/favourite-colour").status_code == 404


def test_the_review_shows_every_answer_with_a_link_to_change_it(visitor: WebVisitor) -> None:
    for step in STEPS:
        visitor.answer(step)

    html = visitor.get("/file/review").get_data(as_text=True)

    for expected in (DESCRIPTION, "Land and housing", "Kaptagat", "about 40 people", "Amina"):
        assert expected in html
    for step in STEPS:
        assert f'href="/file/{step}?from=review"' in html


def test_a_change_from_the_review_returns_to_the_review(visitor: WebVisitor) -> None:
    for step in STEPS:
        visitor.answer(step)

    response = visitor.post("/file/where?from=review", {"location": "By the river"})

    assert response.location == "/file/review"
    assert "By the river" in visitor.get("/file/review").get_data(as_text=True)


# Each answer and its errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "answers", "field", "message"),
    [
        ("what", {"description": "   "}, "description", "Tell us what happened."),
        ("what", {"description": "x" * 10_001}, "description", "10000"),
        ("what", {"description": "a\x00b"}, "description", "unusual characters"),
        ("category", {}, "category", "Choose the one closest"),
        ("category", {"category": "weather"}, "category", "Choose the one closest"),
        ("where", {"location": "x" * 501}, "location", "500"),
        ("when", {"harm_date": "yesterday"}, "harm_date", "like 2024-03-31"),
        ("when", {"harm_date": "2999-01-01"}, "harm_date", "cannot be in the future"),
        ("who", {}, "affected", "Choose who is affected."),
        ("who", {"affected": "group"}, "people_affected", "2 or more"),
        ("who", {"affected": "group", "people_affected": "many"}, "people_affected", "2 or more"),
        ("identity", {"identity": "maybe"}, "identity", "Choose whether"),
        ("contact", {"contact": "sms"}, "phone", "country code"),
        ("contact", {"contact": "none", "phone": "call me"}, "phone", "not a phone number"),
        ("safety", {}, "reprisal", "Choose an answer."),
    ],
)
def test_a_wrong_or_missing_answer_is_explained_beside_its_field(
    visitor: WebVisitor, step: str, answers: dict[str, str], field: str, message: str
) -> None:
    for earlier in STEPS[: STEPS.index(step)]:
        visitor.answer(earlier)

    response = visitor.answer(step, answers)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in errors_on(html)[field]
    # The field points at its error, and the summary at the top links to the field.
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error\b', html)
    assert 'class="error-summary" role="alert"' in html
    assert re.search(rf'href="#{field}(-0)?"', html)
    assert html.count("<title>Error:") == 1


def test_a_form_without_its_csrf_token_is_refused(visitor: WebVisitor) -> None:
    response = visitor.client.post("/file/what", data={"description": DESCRIPTION})

    assert response.status_code == 400
    assert db.session.scalar(select(WebDraft)) is None


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(description=st.text(max_size=300))
def test_whatever_is_typed_the_first_step_answers_with_a_page_never_a_server_error(
    visitor: WebVisitor, description: str
) -> None:
    response = visitor.answer("what", {"description": description})

    assert response.status_code in (302, 400)


# Who is affected, who may know, how to reach them -----------------------------------------


def test_a_person_alone_counts_as_one(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file(who={"affected": "me", "people_affected": "500"})

    assert grievance(reference).people_affected == 1


def test_the_company_may_be_allowed_to_know_who_filed(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file(identity={"identity": "share", "name": ""})

    filed = grievance(reference)
    assert filed.identity_withheld is False
    assert filed.people[0].person.name is None


@pytest.mark.parametrize(
    ("contact", "channel", "message_channel"),
    [
        ("sms", Channel.SMS, MessageChannel.SMS),
        ("whatsapp", Channel.WHATSAPP, MessageChannel.WHATSAPP),
        # The mechanism calls: the words are read once the PIN is typed.
        ("call", Channel.VOICE, MessageChannel.VOICE),
    ],
)
def test_messages_go_the_way_the_person_chose(
    visitor: WebVisitor, contact: str, channel: Channel, message_channel: MessageChannel
) -> None:
    reference, _pin = visitor.file(contact={"contact": contact, "phone": PHONE})

    filed = grievance(reference)
    assert filed.contact_channel is channel
    acknowledgement = acknowledgement_sent()
    assert acknowledgement.channel is message_channel


def test_someone_who_wants_no_contact_reads_the_news_on_the_status_page(
    visitor: WebVisitor,
) -> None:
    reference, _pin = visitor.file(contact={"contact": "none", "phone": ""})

    filed = grievance(reference)
    assert filed.contact_consent is False
    assert filed.people[0].person.phone is None
    acknowledgement = acknowledgement_sent()
    assert acknowledgement.channel is MessageChannel.WEB


@pytest.mark.parametrize(
    ("answer", "risk"), [("low", ReprisalRisk.LOW), ("high", ReprisalRisk.HIGH)]
)
def test_fear_of_reprisals_switches_on_discreet_messages(
    visitor: WebVisitor, answer: str, risk: ReprisalRisk
) -> None:
    reference, _pin = visitor.file(identity={"identity": "share"}, safety={"reprisal": answer})

    filed = grievance(reference)
    assert filed.reprisal_risk is risk
    assert filed.discreet_messages is True
    acknowledgement = acknowledgement_sent()
    assert reference[:4] not in acknowledgement.body  # the phone only hears there is news
    copy = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like("%:web"))
    ).one()
    assert copy.channel is MessageChannel.WEB
    assert reference[:4] in copy.body  # the words wait behind the PIN


# A photo or a recording ---------------------------------------------------------------------


def attach(visitor: WebVisitor, content: bytes, name: str = "photo.jpg") -> int:
    response = visitor.post(
        "/file/what",
        {"description": DESCRIPTION, "attachment": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    return response.status_code


@pytest.mark.parametrize(("content", "kind"), [(PNG, "image/png"), (OGG, "audio/ogg")])
def test_a_photo_or_recording_is_filed_with_the_grievance_encrypted(
    visitor: WebVisitor, content: bytes, kind: str
) -> None:
    assert attach(visitor, content) == 302
    reference, _pin = visitor.file(what={"description": DESCRIPTION})

    stored = db.session.scalars(select(Attachment)).one()
    assert stored.grievance_id == grievance(reference).id
    assert stored.content == content
    assert stored.content_type == kind  # what the bytes are, not what the browser said
    raw = db.session.execute(text("SELECT content FROM attachments")).scalar_one()
    assert content not in bytes(raw)
    assert db.session.scalar(select(WebDraft)) is None


def test_a_file_that_is_not_a_photo_or_recording_is_refused(visitor: WebVisitor) -> None:
    assert attach(visitor, b"MZ\x90\x00 this is a program", "photo.jpg") == 400

    assert "cannot be added" in errors_on(visitor.html())["attachment"]


def test_a_file_over_10_mb_is_refused(visitor: WebVisitor) -> None:
    assert attach(visitor, PNG + b"\x00" * (10 * 1024 * 1024)) == 400

    assert "larger than 10 MB" in errors_on(visitor.html())["attachment"]


def test_an_added_file_can_be_removed_before_filing(visitor: WebVisitor) -> None:
    attach(visitor, PNG)
    assert "You added a file" in visitor.get("/file/what").get_data(as_text=True)

    visitor.answer("what", {"description": DESCRIPTION, "remove_attachment": "y"})
    visitor.file(what={"description": DESCRIPTION})

    assert db.session.scalar(select(Attachment)) is None


# After filing ---------------------------------------------------------------------------------


def test_the_review_cannot_be_sent_twice(visitor: WebVisitor) -> None:
    visitor.file()

    response = visitor.post("/file/review", page="/file/what")

    assert response.status_code == 302
    assert len(db.session.scalars(select(Grievance)).all()) == 1


def test_the_pin_is_not_shown_again_to_someone_else(
    visitor: WebVisitor, new_visitor: Callable[[], WebVisitor]
) -> None:
    visitor.file()

    other = new_visitor()
    assert other.get("/file/done").location == "/case"
    assert other.get("/file/receipt").location == "/case"


def test_the_pin_is_shown_for_a_few_minutes_only(
    visitor: WebVisitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    visitor.file()
    import channels.web

    later = channels.web._now() + 16 * 60
    monkeypatch.setattr(channels.web, "_now", lambda: later)

    assert visitor.get("/file/done").location == "/case"


def test_the_receipt_proves_when_the_grievance_was_filed(visitor: WebVisitor) -> None:
    reference, pin = visitor.file()

    html = visitor.get("/file/receipt").get_data(as_text=True)

    code = re.search(r'id="verification-code">([^<]+)<', html)
    assert code is not None
    assert verify_receipt(reference, code.group(1)) == grievance(reference)
    assert f"{reference[:4]} {reference[4:]}" in html
    assert str(grievance(reference).received_at.year) in html
    assert f"{pin[:3]} {pin[3:]}" not in html
    assert 'href="/file/done">Back to your case</a>' in html


def test_the_pin_is_on_the_receipt_only_when_the_person_chooses(visitor: WebVisitor) -> None:
    _reference, pin = visitor.file()

    html = visitor.get("/file/receipt?pin=yes").get_data(as_text=True)

    assert f"{pin[:3]} {pin[3:]}" in html


def test_stale_drafts_are_deleted(
    visitor: WebVisitor, new_visitor: Callable[[], WebVisitor]
) -> None:
    visitor.answer("what")
    draft = db.session.scalars(select(WebDraft)).one()
    draft.updated_at = utcnow() - timedelta(hours=3)
    db.session.commit()

    assert visitor.get("/file/category").location == "/file/what"
    new_visitor().answer("what")  # starting a draft clears the stale ones

    assert len(db.session.scalars(select(WebDraft)).all()) == 1


def test_answers_are_in_the_steps_table(visitor: WebVisitor) -> None:
    """Guard for the helpers above: every filing step has an answer in the test table,
    except the technology question, asked only after a technology category (its own
    tests: tests/web/test_technology.py)."""
    from channels.web_filing import STEP_NAMES

    assert [name for name in STEP_NAMES if name != "technology"] == STEPS
    assert set(ANSWERS) == set(STEP_NAMES) - {"technology"}


def test_the_phone_number_says_when_it_is_needed(visitor: WebVisitor) -> None:
    """It is not optional for someone who chose SMS, WhatsApp or a call."""
    for step in STEPS[: STEPS.index("contact")]:
        visitor.answer(step)

    page = visitor.get("/file/contact").get_data(as_text=True)
    refused = visitor.answer("contact", {"contact": "sms", "phone": ""})

    assert "Your phone number (needed for SMS, WhatsApp or a call)" in page
    assert "optional" not in page
    assert refused.status_code == 400
    assert "Give the phone number we may use" in refused.get_data(as_text=True)
