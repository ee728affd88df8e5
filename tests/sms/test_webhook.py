"""The webhook itself: only Twilio may call it, it only stores the message (an empty TwiML
answer), a retried message is stored once and answered once, and no input, however
broken, gets a 500 or fails in the worker."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_from_bytes, urlencode

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from remedy.access.case_access import NOT_FOUND_MESSAGE, WAY_IN_MESSAGE
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models import AuditEvent, Conversation, Grievance, InboundMessage, OutboxMessage
from tests.sms.conftest import (
    ACCOUNT_SID,
    NOT_A_REPLY,
    WEBHOOK,
    Phone,
    assert_stored,
    file_by_phone,
    handle_inbox,
    new_sid,
    rendered,
    replies_to,
    signature,
)

TWILIO_MEDIA = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media"


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (InboundMessage, Conversation, Grievance, OutboxMessage, AuditEvent)
    }


class TestSignature:
    def test_a_signed_request_is_stored_and_answered_with_empty_twiml(self, phone: Phone) -> None:
        response = phone.post(phone.params("HELLO"))
        assert_stored(response)
        assert response.get_data(as_text=True).startswith("<?xml")
        (stored,) = phone.inbound()
        assert (stored.body, stored.phone, stored.processed_at) == ("HELLO", phone.number, None)

    def test_the_answer_keeps_the_security_headers_and_sets_no_cookie(self, phone: Phone) -> None:
        response = phone.post(phone.params("HELLO"))
        assert_stored(response)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "Set-Cookie" not in response.headers

    def test_a_missing_signature_is_refused(self, client: FlaskClient, phone: Phone) -> None:
        response = client.post(WEBHOOK, data=phone.params("HELLO"))
        assert response.status_code == 403
        assert counts()["InboundMessage"] == 0

    def test_a_forged_signature_is_refused(self, client: FlaskClient, phone: Phone) -> None:
        params = phone.params("HELLO")
        forged = signature(params, token="not-the-auth-token")
        response = client.post(WEBHOOK, data=params, headers={"X-Twilio-Signature": forged})
        assert response.status_code == 403

    def test_a_tampered_body_is_refused(self, client: FlaskClient, phone: Phone) -> None:
        params = phone.params("HELLO")
        good = signature(params)
        tampered = {**params, "Body": "STOP"}
        response = client.post(WEBHOOK, data=tampered, headers={"X-Twilio-Signature": good})
        assert response.status_code == 403

    def test_an_added_parameter_is_refused(self, client: FlaskClient, phone: Phone) -> None:
        params = phone.params("HELLO")
        good = signature(params)
        response = client.post(
            WEBHOOK, data={**params, "OptOutType": "STOP"}, headers={"X-Twilio-Signature": good}
        )
        assert response.status_code == 403

    def test_a_signature_for_another_address_is_refused(
        self, client: FlaskClient, phone: Phone
    ) -> None:
        params = phone.params("HELLO")
        other = signature(params, path="/twilio/status")
        response = client.post(WEBHOOK, data=params, headers={"X-Twilio-Signature": other})
        assert response.status_code == 403
        assert counts()["InboundMessage"] == 0

    @pytest.mark.parametrize("outbox", ["99999999999999999999", "0", "-3", "abc", ""])
    def test_a_status_callback_for_no_outbox_id_of_ours_is_a_bad_request(
        self, client: FlaskClient, outbox: str
    ) -> None:
        path = f"/twilio/status?outbox={outbox}"
        params = {"MessageSid": new_sid(), "MessageStatus": "delivered"}
        params["AccountSid"] = ACCOUNT_SID
        response = client.post(
            path, data=params, headers={"X-Twilio-Signature": signature(params, path)}
        )
        assert response.status_code == 400

    def test_the_signature_covers_the_public_url_not_the_host_flask_sees(
        self, client: FlaskClient, phone: Phone
    ) -> None:
        params = phone.params("HELLO")
        response = client.post(
            WEBHOOK,
            data=params,
            headers={"X-Twilio-Signature": signature(params), "Host": "internal:8000"},
        )
        assert response.status_code == 200


class TestIdempotency:
    def test_the_same_message_sid_a_hundred_times_is_stored_once_and_answered_once(
        self, phone: Phone
    ) -> None:
        phone.send("HELLO")
        phone.send("The mine blocked the path.")
        phone.send("0")
        phone.send("Voi")
        phone.send("1")
        phone.send("2")
        params = phone.params("1")  # the last answer: it files the grievance
        assert_stored(phone.post(params))
        handle_inbox()
        first = replies_to(params["MessageSid"])
        before = counts()
        for _ in range(100):
            assert_stored(phone.post(params))
        handle_inbox()
        assert counts() == before  # nothing stored, nothing queued twice
        assert replies_to(params["MessageSid"]) == first
        assert before["Grievance"] == 1

    def test_another_number_replaying_a_message_id_changes_nothing_and_hears_nothing(
        self, phone: Phone
    ) -> None:
        filed = file_by_phone(phone)
        last = phone.sent[-1]  # the answer that filed the grievance: its reply has the PIN
        stranger: Phone = Phone(phone.client, "+254700999222")
        before = counts()

        assert_stored(stranger.post({**last, "From": stranger.sender}))
        handle_inbox()

        assert counts() == before
        (reply,) = db.session.scalars(select(OutboxMessage).where(~NOT_A_REPLY)).all()[-1:]
        assert filed.pin in reply.body
        assert reply.address == phone.number  # the sender's alone

    def test_a_retried_status_request_counts_one_wrong_pin_and_is_answered_once(
        self, phone: Phone
    ) -> None:
        from remedy.models import PinLockout

        filed = file_by_phone(phone)
        other: Phone = Phone(phone.client, "+254700999111")
        params = other.params(f"STATUS {filed.reference} 000000")
        for _ in range(10):
            assert_stored(other.post(params))
            handle_inbox()
        lockout = db.session.get(PinLockout, filed.reference)
        assert lockout is not None
        assert lockout.failures == 1
        assert replies_to(params["MessageSid"]) == " ".join(
            rendered(text, "en") for text in (NOT_FOUND_MESSAGE, WAY_IN_MESSAGE)
        )
        (stored,) = other.inbound()
        assert filed.pin not in (stored.body or "")  # the PIN is never kept


def form_body(pairs: list[tuple[str, bytes]]) -> bytes:
    return b"&".join(
        quote_from_bytes(key.encode()).encode() + b"=" + quote_from_bytes(value).encode()
        for key, value in pairs
    )


def read_form(body: bytes) -> dict[str, str]:
    environ = EnvironBuilder(
        method="POST", data=body, content_type="application/x-www-form-urlencoded"
    ).get_environ()
    return dict(Request(environ).form)


class TestMalformedInput:
    def post_raw(self, client: FlaskClient, params: dict[str, str]) -> Any:
        return client.post(
            WEBHOOK,
            data=urlencode(params),
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": signature(params)},
        )

    def test_no_from_is_a_bad_request_and_writes_nothing(self, phone: Phone) -> None:
        params = phone.params("HELLO")
        del params["From"]
        assert phone.post(params).status_code == 400
        assert counts()["InboundMessage"] == 0

    def test_a_sender_that_is_no_phone_number_is_a_bad_request(self, phone: Phone) -> None:
        response = phone.post(phone.params("HELLO", From="not a number"))
        assert response.status_code == 400

    def test_no_message_sid_is_a_bad_request(self, phone: Phone) -> None:
        params = phone.params("HELLO")
        del params["MessageSid"]
        assert phone.post(params).status_code == 400

    def test_an_empty_body_gets_the_menu(self, phone: Phone) -> None:
        reply = phone.send("")
        assert reply.splitlines()[0] == rendered(sms_texts.LANGUAGE_MENU, "en")

    def test_a_ten_thousand_character_body_is_answered_and_not_kept(self, phone: Phone) -> None:
        phone.send("HELLO")
        assert phone.send("a" * 10_000) == rendered(sms_texts.TOO_LONG, "en")
        conversation = phone.open_conversation()
        assert conversation is not None
        assert conversation.description is None
        assert phone.inbound()[-1].body is None

    def test_unknown_parameters_are_ignored(self, phone: Phone) -> None:
        reply = phone.send("HELLO", SomethingNew="42", FromCountry="KE", ProfileName="Awa")
        assert reply == rendered(sms_texts.WHAT_HAPPENED, "en")

    def test_invalid_utf8_in_the_form_body_is_read_as_replacement_characters(
        self, client: FlaskClient, phone: Phone
    ) -> None:
        params = phone.params("")
        pairs = [(k, v.encode()) for k, v in params.items() if k != "Body"]
        raw = b"Caf\xe9 \xed\xa0\x80 \xff stop"  # Latin-1, a CESU surrogate, a stray byte
        pairs.append(("Body", raw))
        body = form_body(pairs)
        # The signature covers the parameters as the app can read them: Werkzeug leaves
        # bytes that are not UTF-8 percent-encoded, as plain text.
        seen = read_form(body)
        assert seen["Body"] == "Caf%E9 %ED%A0%80 %FF stop"
        response = client.post(
            WEBHOOK,
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": signature(seen)},
        )
        assert response.status_code == 200
        assert phone.inbound()[-1].body == "Caf%E9 %ED%A0%80 %FF stop"

    def test_lone_surrogates_are_kept_as_replacement_characters(self, phone: Phone) -> None:
        from remedy.models.grievance import Channel
        from remedy.sms.inbound import InboundText
        from remedy.sms.inbox import accept

        sid = new_sid()
        accept(InboundText(sid, phone.number, Channel.SMS, "Hello \ud83d the well \udc00 is dry"))
        handle_inbox()
        assert replies_to(sid)
        stored = phone.inbound()[-1]
        assert stored.body == "Hello \ufffd the well \ufffd is dry"

    def test_a_bad_media_count_is_a_bad_request_and_writes_nothing(self, phone: Phone) -> None:
        for count in ("-1", "eleven", "11", "1"):  # "1" without its MediaUrl0
            assert phone.post(phone.params("HELLO", NumMedia=count)).status_code == 400
        assert counts()["InboundMessage"] == 0

    def test_a_file_of_a_kind_not_kept_is_refused_and_its_caption_kept(self, phone: Phone) -> None:
        phone.send("HELLO")
        reply = phone.send(
            "Here is the video of the fence",
            NumMedia="2",
            MediaUrl0=f"{TWILIO_MEDIA}/ME1",
            MediaContentType0="image/jpeg",
            MediaUrl1=f"{TWILIO_MEDIA}/ME2",
            MediaContentType1="video/mp4",
        )
        assert reply == " ".join(
            [rendered(sms_texts.MEDIA_SKIPPED, "en"), rendered(sms_texts.MORE, "en")]
        )
        conversation = phone.open_conversation()
        assert conversation is not None
        assert conversation.description == "Here is the video of the fence"
        stored = phone.inbound()[-1]
        assert stored.body == "Here is the video of the fence"
        assert [(m.url, m.content_type) for m in stored.media] == [
            (f"{TWILIO_MEDIA}/ME1", "image/jpeg")
        ]

    def test_a_file_of_a_kind_not_kept_alone_gets_a_polite_reply_and_nothing_is_kept(
        self, phone: Phone
    ) -> None:
        phone.send("HELLO")
        before = counts()
        reply = phone.send(
            "", NumMedia="1", MediaUrl0=f"{TWILIO_MEDIA}/ME3", MediaContentType0="video/mp4"
        )
        assert reply == rendered(sms_texts.MEDIA_REFUSED, "en")
        after = counts()
        assert after["InboundMessage"] == before["InboundMessage"] + 1  # the retry record only
        conversation = phone.open_conversation()
        assert conversation is not None
        assert (conversation.state, conversation.description) == ("what_happened", None)
        assert phone.inbound()[-1].media == []
        assert phone.inbound()[-1].media_sent is None


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.text(max_size=300),
    extra=st.dictionaries(
        st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12).filter(
            lambda key: (
                key not in {"From", "MessageSid", "SmsMessageSid", "NumMedia", "Body", "OptOutType"}
                and not key.startswith(("Media",))
            )
        ),
        st.text(max_size=40),
        max_size=3,
    ),
    opt_out=st.sampled_from(["", "STOP", "START", "HELP", "stop", "Nonsense"]),
)
def test_any_text_and_any_extra_parameter_get_a_reply_never_a_500(
    phone: Phone, body: str, extra: dict[str, str], opt_out: str
) -> None:
    params = phone.params(body, **extra)
    if opt_out:
        params["OptOutType"] = opt_out
    response = phone.post(params)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 200:
        assert_stored(response)
        handle_inbox()
        (stored,) = db.session.scalars(
            select(InboundMessage).where(InboundMessage.message_sid == params["MessageSid"])
        ).all()
        assert (stored.outcome, stored.last_error) in {("replied", None), ("silent", None)}
