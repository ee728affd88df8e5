"""Senders: the Twilio request each message becomes, what a refusal means, and the log sender.

The Twilio sender talks to the fake Twilio API over HTTP, reached through
``TWILIO_API_BASE_URL`` exactly as a deployment would reach another compatible API.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest

from remedy.core.config import ConfigError, load_config
from remedy.messaging.senders import (
    LogSender,
    Outgoing,
    SendFailure,
    TwilioSender,
    build_sender,
)
from remedy.models.outbox_message import MessageChannel
from tests.fake_twilio import AUTH_TOKEN, FakeTwilio

PUBLIC_URL = "https://remedy.example.org"
NUMBER = "+254700000001"


def sender_for(fake: FakeTwilio, **changes: Any) -> TwilioSender:
    settings = {
        "account_sid": fake.account_sid,
        "auth_token": fake.auth_token,
        "sms_from": "+15005550006",
        "whatsapp_from": "+14155238886",
        "public_url": PUBLIC_URL + "/",
        "timeout": 2.0,
        "api_base_url": fake.url,
        **changes,
    }
    return TwilioSender(**settings)


def outgoing(channel: MessageChannel = MessageChannel.SMS, **changes: Any) -> Outgoing:
    values = {
        "id": 42,
        "channel": channel,
        "address": NUMBER,
        "body": "Case 1234-5678: we received your complaint.",
        "template": "acknowledged",
        "attempt": 1,
        **changes,
    }
    return Outgoing(**values)


def test_an_sms_goes_from_the_number_with_the_outbox_id_in_its_status_callback(
    fake_twilio: FakeTwilio,
) -> None:
    accepted = sender_for(fake_twilio).send(outgoing())

    (sent,) = fake_twilio.messages
    assert sent["To"] == NUMBER
    assert sent["From"] == "+15005550006"
    assert sent["MessagingServiceSid"] is None
    assert sent["Body"] == "Case 1234-5678: we received your complaint."
    assert sent["StatusCallback"] == f"{PUBLIC_URL}/twilio/status?outbox=42"
    assert sent["Attempt"] == "1"
    assert accepted.provider_id == sent["sid"]
    assert accepted.provider_status == "queued"


def test_a_messaging_service_sid_is_sent_as_the_messaging_service_not_as_from(
    fake_twilio: FakeTwilio,
) -> None:
    service = "MG" + "a" * 32

    accepted = sender_for(fake_twilio, sms_from=service).send(outgoing())

    (sent,) = fake_twilio.messages
    assert sent["MessagingServiceSid"] == service
    assert sent["From"] is None
    assert accepted.provider_status == "accepted"


@pytest.mark.parametrize("configured", ["+14155238886", "whatsapp:+14155238886"])
def test_whatsapp_addresses_carry_the_prefix_on_both_sides(
    fake_twilio: FakeTwilio, configured: str
) -> None:
    sender = sender_for(fake_twilio, whatsapp_from=configured)

    sender.send(outgoing(MessageChannel.WHATSAPP))
    sender.send(outgoing(MessageChannel.WHATSAPP, address="whatsapp:" + NUMBER))

    assert [(m["To"], m["From"]) for m in fake_twilio.messages] == [
        ("whatsapp:" + NUMBER, "whatsapp:+14155238886")
    ] * 2


def test_whatsapp_goes_through_a_messaging_service_when_no_whatsapp_number_is_set(
    fake_twilio: FakeTwilio,
) -> None:
    service = "MG" + "b" * 32

    sender_for(fake_twilio, sms_from=service, whatsapp_from="").send(
        outgoing(MessageChannel.WHATSAPP)
    )

    (sent,) = fake_twilio.messages
    assert (sent["To"], sent["MessagingServiceSid"]) == ("whatsapp:" + NUMBER, service)


def test_without_any_whatsapp_sender_the_message_asks_to_go_by_sms(
    fake_twilio: FakeTwilio,
) -> None:
    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio, whatsapp_from="").send(outgoing(MessageChannel.WHATSAPP))

    assert refused.value.fallback_to_sms
    assert not refused.value.retry
    assert fake_twilio.requests == 0


def test_the_rate_key_is_the_sending_number_or_service(fake_twilio: FakeTwilio) -> None:
    sender = sender_for(fake_twilio)

    assert sender.rate_key(outgoing()) == "twilio:+15005550006"
    assert sender.rate_key(outgoing(MessageChannel.WHATSAPP)) == "twilio:whatsapp:+14155238886"


@pytest.mark.parametrize(
    ("status", "code", "retry"),
    [
        (429, 20429, True),
        (500, None, True),
        (503, 20500, True),
        (400, 21211, False),
        (400, 21610, False),
        (403, 21408, False),
        (404, 20404, False),
    ],
)
def test_429_and_5xx_may_be_retried_other_refusals_may_not(
    fake_twilio: FakeTwilio, status: int, code: int | None, retry: bool
) -> None:
    fake_twilio.fail_next(1, status, code)

    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio).send(outgoing())

    assert refused.value.retry is retry
    assert refused.value.http_status == status
    assert refused.value.code == (str(code) if code else None)
    assert fake_twilio.messages == []


def test_the_reason_names_the_code_but_never_repeats_the_providers_text(
    fake_twilio: FakeTwilio,
) -> None:
    """Twilio's messages quote the number; the stored reason must not."""
    fake_twilio.fail_for(
        NUMBER, 400, 21211, f"The 'To' number {NUMBER} is not a valid phone number."
    )

    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio).send(outgoing())

    assert refused.value.reason == "HTTP 400: error 21211: invalid recipient number"
    assert NUMBER not in refused.value.reason


def test_wrong_credentials_are_refused_and_not_retried(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio, auth_token=AUTH_TOKEN + "x").send(outgoing())

    assert (refused.value.http_status, refused.value.code, refused.value.retry) == (
        401,
        "20003",
        False,
    )


def test_whatsapp_outside_its_window_asks_to_go_by_sms(fake_twilio: FakeTwilio) -> None:
    fake_twilio.fail_next(1, 400, 63016)

    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio).send(outgoing(MessageChannel.WHATSAPP))

    assert refused.value.fallback_to_sms
    assert not refused.value.retry


def test_a_provider_slower_than_the_timeout_is_retried(fake_twilio: FakeTwilio) -> None:
    fake_twilio.delay_next(1, 1.0)

    with pytest.raises(SendFailure) as refused:
        sender_for(fake_twilio, timeout=0.2).send(outgoing())

    assert refused.value.retry
    assert "timed out" in refused.value.reason


def test_an_unreachable_provider_is_retried() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = TwilioSender(
        "AC" + "0" * 32, "token", "+15005550006", "", PUBLIC_URL, 1.0, f"http://127.0.0.1:{port}"
    )

    with pytest.raises(SendFailure) as refused:
        sender.send(outgoing())

    assert refused.value.retry
    assert refused.value.code == "network"


def test_the_log_sender_touches_no_network_and_logs_no_number_or_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = outgoing()

    with caplog.at_level(logging.DEBUG):
        accepted = LogSender().send(message)

    assert accepted.provider_id is None
    assert "42" in caplog.text
    assert "acknowledged" in caplog.text
    assert NUMBER not in caplog.text
    assert message.body not in caplog.text


# Choosing the sender -----------------------------------------------------------------------

TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "token"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "log"),
        (TWILIO, "log"),  # credentials for webhooks only: nothing to send from
        ({**TWILIO, "TWILIO_FROM": "+15005550006"}, "twilio"),
        ({**TWILIO, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"}, "twilio"),
        ({**TWILIO, "TWILIO_FROM": "+15005550006", "REMEDY_SENDER": "log"}, "log"),
    ],
)
def test_the_sender_defaults_to_twilio_only_when_twilio_can_send(
    environ: dict[str, str], expected: str, tmp_path: Any
) -> None:
    config = load_config(environ, tmp_path)

    assert config["REMEDY_SENDER"] == expected
    assert build_sender(config).name == expected


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"REMEDY_SENDER": "carrier-pigeon"}, "REMEDY_SENDER"),
        ({"REMEDY_SENDER": "twilio"}, "TWILIO_ACCOUNT_SID"),
        ({"REMEDY_SEND_RATE": "fast"}, "REMEDY_SEND_RATE"),
        ({"REMEDY_SEND_RATE": "-1"}, "REMEDY_SEND_RATE"),
        ({"REMEDY_OUTBOX_LEASE_SECONDS": "20"}, "three times"),
        ({"REMEDY_SEND_TIMEOUT_SECONDS": "0"}, "REMEDY_SEND_TIMEOUT_SECONDS"),
    ],
)
def test_unusable_settings_stop_start_up_with_a_clear_reason(
    environ: dict[str, str], named: str, tmp_path: Any
) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(environ, tmp_path)
