"""A lost PIN is replaced through the phone number on file: a one-time code by SMS
(through the outbox, never on the page), valid 15 minutes and 5 tries, and the same
answer whether or not the number matched."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from remedy.access import pin_reset
from remedy.access.case_access import CaseNotFound, open_case
from remedy.core.extensions import db
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.pin_reset import PinReset
from remedy.models.types import utcnow
from tests.console.case_support import console_for
from tests.web.conftest import PHONE, Case, WebVisitor
from tests.workflows.scenarios import Scenario

FilledCase = Callable[..., Case]


def code_messages() -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "pin_reset_code"))
    )


def sent_code() -> str:
    """The code in the last SMS, as the person's phone would show it."""
    message = code_messages()[-1]
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match
    return match.group(1)


def ask_code(visitor: WebVisitor, reference: str, phone: str = PHONE) -> str:
    """The page the person lands on after asking for a code."""
    response = visitor.post("/pin-reset", {"reference": reference, "phone": phone})
    assert response.status_code == 302, response.text
    return visitor.get(response.location).text


def enter_code(visitor: WebVisitor, code: str) -> str:
    return visitor.post("/pin-reset/code", {"code": code}).text


def new_pin_on(html: str) -> str:
    match = re.search(r'id="pin" dir="ltr">([\d ]+)<', html)
    assert match, "no new PIN on the page"
    return match.group(1).replace(" ", "")


def test_a_code_goes_by_sms_through_the_outbox_and_sets_a_new_pin(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()

    page = ask_code(visitor, case.reference, "+254 712 000 001")

    (message,) = code_messages()
    assert message.channel is MessageChannel.SMS
    assert message.status is MessageStatus.PENDING
    assert message.address == PHONE
    code = sent_code()
    assert code not in page
    assert case.reference not in message.body  # a shared phone learns nothing of the case
    html = enter_code(visitor, code)
    pin = new_pin_on(html)
    assert open_case(case.reference, pin, source="test") == case.grievance
    with pytest.raises(CaseNotFound):
        open_case(case.reference, case.pin, source="test")


def test_an_unknown_number_gets_the_same_answer_and_no_sms(
    visitor: WebVisitor, new_visitor: Callable[[], WebVisitor], filed_case: FilledCase
) -> None:
    case = filed_case()

    matched = ask_code(visitor, case.reference)
    unmatched = ask_code(new_visitor(), case.reference, "+254799999999")
    unknown_case = ask_code(new_visitor(), "12345674")

    assert len(code_messages()) == 1

    def body(html: str) -> str:
        return re.sub(r'value="[^"]+"', "", html)

    assert body(matched) == body(unmatched) == body(unknown_case)


def test_a_code_from_another_case_does_not_work(
    visitor: WebVisitor, new_visitor: Callable[[], WebVisitor], filed_case: FilledCase
) -> None:
    mine = filed_case()
    other = filed_case(complainant=None)
    ask_code(visitor, mine.reference)
    code = sent_code()

    thief = new_visitor()
    ask_code(thief, other.reference)
    html = enter_code(thief, code)

    assert "This code is wrong or no longer valid." in html
    assert open_case(other.reference, other.pin, source="test") == other.grievance


def test_five_wrong_codes_use_the_code_up(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(pin_reset.MAX_TRIES):
        assert "This code is wrong" in enter_code(visitor, wrong)

    html = enter_code(visitor, code)

    assert "This code is wrong or no longer valid." in html
    assert 'id="pin"' not in html


def test_a_code_expires_after_15_minutes(
    visitor: WebVisitor, filed_case: FilledCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    code = sent_code()
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr(pin_reset, "utcnow", lambda: later)

    assert "no longer valid" in enter_code(visitor, code)


def test_a_code_works_once(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    code = sent_code()
    enter_code(visitor, code)

    ask_code(visitor, case.reference, "+254799999999")  # back on the code page
    assert "no longer valid" in enter_code(visitor, code)


def test_a_new_code_replaces_the_old_one(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    first = sent_code()
    ask_code(visitor, case.reference)
    second = sent_code()

    if first != second:
        assert "no longer valid" in enter_code(visitor, first)
    assert 'id="pin"' in enter_code(visitor, second)


def test_a_phone_cannot_be_flooded_with_codes(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    for _ in range(pin_reset.MAX_CODES_PER_HOUR + 2):
        ask_code(visitor, case.reference)

    assert len(code_messages()) == pin_reset.MAX_CODES_PER_HOUR


def test_a_new_pin_closes_the_case_where_it_was_open_with_the_old_one(
    visitor: WebVisitor, new_visitor: Callable[[], WebVisitor], filed_case: FilledCase
) -> None:
    case = filed_case()
    elsewhere = new_visitor()
    elsewhere.open_case(case.reference, case.pin)
    assert elsewhere.get(f"/case/{case.reference}").status_code == 200

    ask_code(visitor, case.reference)
    enter_code(visitor, sent_code())

    assert elsewhere.get(f"/case/{case.reference}").status_code == 302


def test_the_code_never_appears_on_the_case_page(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    code = sent_code()
    pin = new_pin_on(enter_code(visitor, code))

    visitor.open_case(case.reference, pin)
    html = visitor.get(f"/case/{case.reference}").text

    assert code not in html
    assert "A new PIN was set for this case." in html


@pytest.mark.parametrize(
    ("reference", "phone", "message"),
    [
        ("", "+254712000001", "Give your case number."),
        ("12345674", "", "Give your phone number."),
        ("12345674", "not a number", "not a phone number"),
    ],
)
def test_missing_or_wrong_answers_are_explained(
    visitor: WebVisitor, reference: str, phone: str, message: str
) -> None:
    response = visitor.post("/pin-reset", {"reference": reference, "phone": phone})

    assert response.status_code == 400
    assert message in response.text


def test_the_code_page_needs_a_request_first(visitor: WebVisitor) -> None:
    assert visitor.get("/pin-reset/code").location == "/pin-reset"


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PIN_LOOKUP_RATE_LIMIT": "4 per hour"}])
def test_asking_for_codes_counts_with_pin_look_ups(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    for _ in range(3):
        visitor.open_case(case.reference, "999999")
    ask_code(visitor, case.reference)

    response = visitor.post("/pin-reset", {"reference": case.reference, "phone": PHONE})

    assert response.status_code == 429
    assert "Too many tries" in response.text


def test_codes_are_stored_only_as_hashes(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)

    reset = db.session.scalars(select(PinReset)).one()
    assert sent_code() not in reset.code_hash
    assert reset.code_hash.startswith("$argon2id$")


def test_staff_see_that_a_code_was_sent_but_never_the_code(
    app: Any, visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    ask_code(visitor, case.reference)
    code = sent_code()

    page = console_for(app, scenario.handler).client.get(f"/console/grievances/{case.reference}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "••••••" in html
    assert code not in html
    (message,) = code_messages()
    assert code in message.body  # the phone still gets it
    assert code not in message.body_for_staff
