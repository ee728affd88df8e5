"""While the database cannot be reached (a restart, a fail-over), nobody gets a 500: people
get a page that says to try again, API clients a 503 problem with Retry-After, and a phone
a TwiML answer telling it to send or call again, since nothing of the request was stored
(with 200: Twilio ignores the TwiML of an error, and a caller would hear its own apology)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from remedy.app import create_app
from remedy.errors import NOT_RECEIVED_CALL, NOT_RECEIVED_SMS, RETRY_AFTER_SECONDS
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.support import test_overrides as settings_for_tests

PUBLIC_URL = "https://remedy.example.org"
# Nothing listens on port 1: every connection is refused at once, as during a restart.
UNREACHABLE = "postgresql+psycopg://remedy@127.0.0.1:1/remedy"


@pytest.fixture
def down(tmp_path: Path) -> Flask:
    return create_app(
        {
            **settings_for_tests(UNREACHABLE, tmp_path),
            "REMEDY_PUBLIC_URL": PUBLIC_URL,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        }
    )


def signed(path: str, params: dict[str, str]) -> dict[str, str]:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, params)
    return {"X-Twilio-Signature": str(signature)}


def test_a_page_that_reads_the_database_says_to_try_again(down: Flask) -> None:
    response = down.test_client().get("/statistics")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Please try again in a minute." in response.get_data(as_text=True)


def test_the_api_answers_a_503_problem_with_retry_after(down: Flask) -> None:
    response = down.test_client().get("/api/v1/statistics")

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.get_json()["status"] == 503


def test_an_sms_is_answered_with_a_request_to_send_it_again(down: Flask) -> None:
    params = {"From": "+254712000001", "To": "+15005550006", "Body": "HELLO"}
    params["MessageSid"] = "SM" + "0" * 32

    response = down.test_client().post(
        "/twilio/sms", data=params, headers=signed("/twilio/sms", params)
    )

    assert response.status_code == 200
    message = ET.fromstring(response.get_data()).find("Message")  # noqa: S314 - our TwiML
    assert message is not None
    assert message.text == str(NOT_RECEIVED_SMS)


def test_a_call_is_told_to_call_again_and_ended(down: Flask) -> None:
    params = {"CallSid": "CA" + "0" * 32, "From": "+254712000001", "To": "+15005550006"}

    response = down.test_client().post(
        "/twilio/voice", data=params, headers=signed("/twilio/voice", params)
    )

    assert response.status_code == 200
    root = ET.fromstring(response.get_data())  # noqa: S314 - our own TwiML
    assert [element.tag for element in root] == ["Say", "Hangup"]
    assert root[0].text == str(NOT_RECEIVED_CALL)
