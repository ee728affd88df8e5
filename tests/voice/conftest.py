"""A caller who talks to the voice webhooks as Twilio relays a call: every request signed
exactly as Twilio signs it, each next request posted to the ``action`` of the TwiML the
last one got back. A recording is made at the fake Twilio API, which then serves it to
the worker and takes its deletion, as Twilio's Recordings API does. Each test reads like
a call script: ``caller.call()``, ``caller.press("1")``, ``caller.record()``."""

from __future__ import annotations

import itertools
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from werkzeug.test import TestResponse

from remedy.voice.prompts import PROMPTS
from remedy.voice.speech import RECORDING_PATH, STATUS_PATH, VOICE_PATH
from tests.fake_twilio import ACCOUNT_SID, FakeTwilio, fake_twilio
from tests.sms.conftest import PUBLIC_URL, SERVICE_NUMBER, sends_to_twilio, signature

__all__ = ["fake_twilio", "sends_to_twilio"]
_numbers = itertools.count(1)


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return sends_to_twilio


def a_number() -> str:
    return f"+2557{next(_numbers):08d}"


def said(text: Any, language: str, **values: Any) -> str:
    """A prompt's words in ``language``."""
    with force_locale(language):
        words = str(PROMPTS[text] if isinstance(text, str) else text)
        return words % values if values else words


@dataclass
class Caller:
    """One phone call, from ``number``, as Twilio relays it."""

    client: FlaskClient
    number: str
    twilio: FakeTwilio
    call_sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)
    twiml: ET.Element | None = None
    last: tuple[str, dict[str, str]] | None = None
    raw: str = ""  # the last TwiML, as sent
    # A call the mechanism placed (a call-back): From is ours, To the person's.
    outbound: bool = False

    def params(self, **extra: str) -> dict[str, str]:
        ours, theirs = SERVICE_NUMBER, self.number
        return {
            "CallSid": self.call_sid,
            "AccountSid": ACCOUNT_SID,
            "From": ours if self.outbound else theirs,
            "To": theirs if self.outbound else ours,
            "CallStatus": "in-progress",
            "Direction": "outbound-api" if self.outbound else "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def post(self, path: str, params: dict[str, str], token: str | None = None) -> TestResponse:
        sign = signature(params, path) if token is None else signature(params, path, token)
        return self.client.post(path, data=params, headers={"X-Twilio-Signature": sign})

    def _step(self, path: str, params: dict[str, str]) -> ET.Element:
        self.last = (path, params)
        response = self.post(path, params)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/xml"
        self.raw = response.get_data(as_text=True)
        self.twiml = ET.fromstring(response.get_data())  # noqa: S314 - our own TwiML
        return self.twiml

    def call(self) -> ET.Element:
        """The phone rings at the service's number."""
        return self._step(VOICE_PATH, self.params(CallStatus="ringing"))

    def answer(self, placed: dict[str, Any]) -> ET.Element:
        """The mechanism's call (as the fake Twilio took it) rings, and the person answers:
        Twilio fetches the call's ``Url``."""
        assert placed["To"] == self.number
        self.outbound = True
        self.call_sid = placed["sid"]
        url = placed["Url"]
        assert url.startswith(PUBLIC_URL + "/"), url
        return self._step(url.removeprefix(PUBLIC_URL), self.params())

    def _action(self, verb: str) -> str:
        assert self.twiml is not None, "call() first"
        element = self.twiml.find(verb)
        assert element is not None, f"no <{verb}> in {ET.tostring(self.twiml)!r}"
        action = element.get("action")
        assert action
        return action

    def press(self, digits: str) -> ET.Element:
        """Keys pressed at the prompt (Twilio posts them to the <Gather>'s action)."""
        return self._step(self._action("Gather"), self.params(Digits=digits))

    def record(self, url: str | None = None) -> ET.Element:
        """Speak after the beep and press #: the recording exists at the fake Twilio, its
        status callback arrives, and the <Record>'s action is posted."""
        sid, made = self.twilio.new_recording()
        url = url or made
        path = self._action("Record")
        twiml = self._step(
            path,
            self.params(RecordingUrl=url, RecordingSid=sid, RecordingDuration="12", Digits="#"),
        )
        ready = {
            "AccountSid": ACCOUNT_SID,
            "CallSid": self.call_sid,
            "RecordingSid": sid,
            "RecordingUrl": url,
            "RecordingStatus": "completed",
            "RecordingDuration": "12",
        }
        assert self.post(RECORDING_PATH, ready).status_code == 204
        return twiml

    def silence(self) -> ET.Element:
        """Nothing said before the timeout: Twilio follows the <Redirect>."""
        assert self.twiml is not None
        redirect = self.twiml.find("Redirect")
        assert redirect is not None
        assert redirect.text
        return self._step(redirect.text, self.params())

    def retry(self) -> str:
        """Twilio posts the last request again (it never got our answer)."""
        assert self.last is not None
        response = self.post(*self.last)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def hang_up(self) -> None:
        params = self.params(CallStatus="completed", CallDuration="95")
        assert self.post(STATUS_PATH, params).status_code == 204

    # What the caller heard ---------------------------------------------------------------

    def says(self) -> list[tuple[str, str]]:
        """Every <Say> of the last TwiML, in order, as (language code, text)."""
        assert self.twiml is not None
        return [(say.get("language") or "", say.text or "") for say in self.twiml.iter("Say")]

    def heard(self) -> str:
        return " ".join(text for _language, text in self.says())

    @property
    def text(self) -> str:
        assert self.twiml is not None
        return ET.tostring(self.twiml, encoding="unicode")


@pytest.fixture
def callbacks_to_app(fake_twilio: FakeTwilio, client: FlaskClient) -> FakeTwilio:
    """The fake posts its signed status callbacks to the app (through the test client)."""

    def deliver(url: str, params: dict[str, str], headers: dict[str, str]) -> int:
        assert url.startswith(PUBLIC_URL + "/"), url
        response = client.post(
            url.removeprefix(PUBLIC_URL),
            data=params,
            headers={"X-Twilio-Signature": headers["X-Twilio-Signature"]},
        )
        return response.status_code

    fake_twilio.deliver = deliver
    return fake_twilio


@pytest.fixture
def caller(client: FlaskClient, fake_twilio: FakeTwilio) -> Caller:
    return Caller(client, a_number(), fake_twilio)


@pytest.fixture
def new_caller(client: FlaskClient, fake_twilio: FakeTwilio) -> Any:
    def make(number: str | None = None) -> Caller:
        return Caller(client, number or a_number(), fake_twilio)

    return make
