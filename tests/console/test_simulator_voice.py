"""The simulator's voice mode: staff ring from a fictional number, press keys and type what
a recording would say, with plain forms; the real call answers (the same state machine and
services as Twilio's webhook) and the page shows its TwiML as it would be heard."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Attachment, Call, CallRecording, Channel, Grievance, RecordingStatus, Role
from remedy.voice.recordings import fetch_recordings
from remedy.voice.simulated import SIMULATED_URL, placeholder
from remedy.voice.speech import DEFAULT_VOICES
from tests.support import csrf_token, make_account, sign_in
from tests.voice.conftest import said
from tests.voice.test_filing import LANGUAGES

PAGE = "/console/simulator/voice"
STORY = "The trucks broke the water pipe; we walk two hours to the river."
PLACE = "Mwangea, near the primary school"


class Phone:
    """The simulator page in a signed-in browser, one form post at a time."""

    def __init__(self, client: FlaskClient, number: str = "001") -> None:
        self.client = client
        self.number = number
        self.location = f"{PAGE}?number={number}"
        self.html = ""

    def post(self, **data: str) -> str:
        page = self.client.get(self.location)
        assert page.status_code == 200
        form_html = page.get_data(as_text=True)
        call = form_html.split('name="call" type="hidden" value="', 1)
        fields = {
            "number": self.number,
            "call": call[1].split('"', 1)[0] if len(call) == 2 else "",
            "csrf_token": csrf_token(form_html),
            **data,
        }
        response = self.client.post(PAGE, data=fields)
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
        self.location = response.location
        self.html = unescape(self.client.get(self.location).get_data(as_text=True))
        return self.html

    def ring(self) -> str:
        return self.post(action="ring")

    def press(self, key: str, say: str = "") -> str:
        return self.post(key=key, said=say)


@pytest.fixture
def phone(client: FlaskClient) -> Phone:
    sign_in(client, make_account("handler@example.org", Role.HANDLER))
    return Phone(client)


def test_ringing_shows_the_language_menu_as_it_would_be_spoken(phone: Phone) -> None:
    html = phone.ring()

    for digit, language in enumerate(LANGUAGES, 1):
        assert said("language_option", language, digit=digit) in html
        assert f"({DEFAULT_VOICES[language].code})" in html
    assert "Waits for 1 keys" in html
    assert "&lt;Gather" in phone.client.get(phone.location).get_data(as_text=True)  # the TwiML


def test_a_complaint_filed_by_keypad_and_typed_recordings(phone: Phone) -> None:
    phone.ring()
    assert said("main_menu", "en") in phone.press("1")
    html = phone.press("1")
    assert "Beep. Records up to 180 s; the # key ends it." in html
    assert said("story_recorded", "en") in phone.press("#", say=STORY)
    phone.press("1")  # keep it
    assert said("identity", "en") in phone.press("#", say=PLACE)
    phone.press("2")
    phone.press("2")
    html = phone.press("2")

    grievance = db.session.scalars(select(Grievance)).one()
    assert grievance.channel is Channel.VOICE
    assert said("your_reference", "en") in html
    read = "".join(re.findall(r"<bdi>(\d)</bdi>", html))  # one <Say> a digit
    assert read.startswith(grievance.reference)
    assert display(grievance.reference)  # a real case of this database
    recordings = db.session.scalars(select(CallRecording).order_by(CallRecording.id)).all()
    assert [r.transcript for r in recordings] == [STORY, PLACE]
    assert {r.status for r in recordings} == {RecordingStatus.STORED}
    assert {r.url for r in recordings} == {SIMULATED_URL}
    files = [db.session.get(Attachment, r.attachment_id) for r in recordings]
    assert all(f is not None and f.filename.endswith("-simulated.wav") for f in files)
    assert all(f is not None and f.content_type == "audio/wav" for f in files)
    assert fetch_recordings() == 0  # nothing for the worker, nothing asked of Twilio


def test_hanging_up_ends_the_call_and_the_next_ring_is_a_new_call(phone: Phone) -> None:
    phone.ring()
    phone.press("1")
    assert "The call is over." in phone.post(action="hang_up")
    first = db.session.scalars(select(Call)).one()
    assert first.ended_at is not None

    phone.ring()

    assert db.session.scalar(select(func.count()).select_from(Call)) == 2


def test_several_keys_at_once_for_a_case_number(phone: Phone) -> None:
    phone.ring()
    phone.press("1")
    assert said("enter_reference", "en") in phone.press("2")
    html = phone.post(action="keys", digits="12345678")
    assert said("enter_pin", "en") in html


def test_a_real_call_is_never_shown(phone: Phone) -> None:
    db.session.add(
        Call(
            call_sid="CA" + "1" * 32,
            phone_hash="h" * 64,
            phone="+254700000001",
            state="filed",
            last_twiml="<Response><Say>Your PIN is: 4 8 1</Say></Response>",
        )
    )
    db.session.commit()

    html = phone.client.get(f"{PAGE}?call=CA{'1' * 32}").get_data(as_text=True)

    assert "Your PIN is" not in html
    assert "No call yet" in html


def test_the_placeholder_is_a_silent_wav_that_says_it_is_simulated() -> None:
    content = placeholder("hello")

    assert content[:4] == b"RIFF"
    assert content[8:12] == b"WAVE"
    assert b"Simulated recording (no audio): hello" in content


def test_read_only_roles_watch_but_do_not_call(client: FlaskClient) -> None:
    sign_in(client, make_account("auditor@example.org", Role.AUDITOR))
    page = client.get(PAGE)

    assert page.status_code == 200
    assert "you cannot call here" in page.get_data(as_text=True)
    assert client.post(PAGE, data={"number": "001", "action": "ring"}).status_code in (400, 403)


def test_the_form_needs_its_csrf_token(phone: Phone) -> None:
    response = phone.client.post(PAGE, data={"number": "001", "action": "ring"})

    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0
