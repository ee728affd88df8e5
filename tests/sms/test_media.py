"""Photos, voice notes and PDFs sent by MMS or WhatsApp: recorded by the webhook at once,
fetched later by the worker, stored as encrypted attachments of the grievance."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, text

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.messaging import sms_texts
from remedy.models import Attachment, AuditEvent, InboundMedia, MediaStatus
from remedy.models.types import utcnow
from remedy.sms.media import MAX_ATTEMPTS, _credentials_for, fetch_pending_media, fetchable
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.sms.conftest import PUBLIC_URL, Phone, a_number, file_by_phone, rendered
from tests.sms.test_information import awaiting_answer
from tests.workflows.scenarios import Scenario

PHOTO = b"\xff\xd8\xff\xe0" + b"photo of the broken pipe" * 100
VOICE = b"OggS" + b"voice note" * 200


class MediaServer:
    """Serves files as Twilio's media URLs do, only with the account's basic auth."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes]] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests.append(self.path)
                expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self.send_response(401)
                    self.end_headers()
                    return
                status, body = owner.files.get(self.path, (404, b""))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, name: str, body: bytes, status: int = 200) -> str:
        path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM1/Media/{name}"
        self.files[path] = (status, body)
        return self.base + path


@pytest.fixture
def media_server() -> Iterator[MediaServer]:
    server = MediaServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def app_overrides(media_server: MediaServer) -> dict[str, Any]:
    return {
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": media_server.base,
    }


def media(*items: tuple[str, str]) -> dict[str, str]:
    params = {"NumMedia": str(len(items))}
    for index, (url, kind) in enumerate(items):
        params[f"MediaUrl{index}"] = url
        params[f"MediaContentType{index}"] = kind
    return params


def all_media() -> list[InboundMedia]:
    db.session.expire_all()
    return list(db.session.scalars(select(InboundMedia).order_by(InboundMedia.id)))


def test_the_webhook_records_media_and_the_worker_stores_it_encrypted(
    phone: Phone, media_server: MediaServer
) -> None:
    photo = media_server.add("ME1", PHOTO)
    voice = media_server.add("ME2", VOICE)
    phone.send("HELLO")
    reply = phone.send(
        "Look at the pipe", **media((photo, "image/jpeg"), (voice, "audio/ogg; codecs=opus"))
    )
    assert reply == rendered(sms_texts.MORE, "en")
    assert media_server.requests == []  # nothing fetched inside the request
    assert [(m.content_type, m.status, m.grievance_id) for m in all_media()] == [
        ("image/jpeg", MediaStatus.PENDING, None),
        ("audio/ogg", MediaStatus.PENDING, None),
    ]
    assert fetch_pending_media() == 0  # no grievance yet: nothing to attach it to

    phone.send("0")
    phone.send("Voi")
    phone.send("1")
    phone.send("2")
    filed_reply = phone.send("1")
    (grievance,) = phone.grievances()
    assert display(grievance.reference) in filed_reply
    assert all(m.grievance_id == grievance.id for m in all_media())

    assert fetch_pending_media() == 2
    assert len(media_server.requests) == 2
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.grievance_id == grievance.id).order_by(Attachment.id)
    ).all()
    assert [(a.content_type, a.content) for a in attachments] == [
        ("image/jpeg", PHOTO),
        ("audio/ogg", VOICE),
    ]
    assert all(m.status is MediaStatus.STORED for m in all_media())
    raw = db.session.execute(text("SELECT content FROM attachments")).scalars().all()
    assert all(b"photo of the broken pipe" not in bytes(value) for value in raw)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "attachment.add")
    ).all()
    assert len(actions) == 2
    assert fetch_pending_media() == 0  # once only


def test_a_voice_note_alone_can_tell_what_happened(phone: Phone, media_server: MediaServer) -> None:
    voice = media_server.add("ME3", VOICE)
    phone.send("HABARI")
    assert phone.send("", **media((voice, "audio/ogg"))) == rendered(sms_texts.MORE, "sw")
    assert phone.send("0") == rendered(sms_texts.WHERE, "sw")
    phone.send("Voi")
    phone.send("1")
    phone.send("2")
    phone.send("1")
    (grievance,) = phone.grievances()
    assert grievance.description  # the team is told the story is in the recording
    assert fetch_pending_media() == 1


def test_a_failing_download_is_retried_then_given_up(
    phone: Phone, media_server: MediaServer
) -> None:
    broken = media_server.add("ME4", b"", status=500)
    gone = media_server.add("ME5", b"", status=404)
    phone.send("HOLA")
    phone.send("Fotos", **media((broken, "image/png"), (gone, "image/png")))
    for answer in ("0", "Voi", "1", "2", "1"):
        phone.send(answer)
    now = utcnow()
    assert fetch_pending_media(now) == 0
    retrying, given_up = all_media()
    assert (retrying.status, retrying.attempts, retrying.last_error) == (
        MediaStatus.PENDING,
        1,
        "HTTP 500",
    )
    assert (given_up.status, given_up.last_error) == (MediaStatus.FAILED, "HTTP 404")
    assert fetch_pending_media(now) == 0  # backing off
    assert len(media_server.requests) == 2
    later = now
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(days=1)
        fetch_pending_media(later)
    retrying, _ = all_media()
    assert (retrying.status, retrying.attempts) == (MediaStatus.FAILED, MAX_ATTEMPTS)


def test_twilio_credentials_go_only_to_twilio(app: Any, media_server: MediaServer) -> None:
    assert _credentials_for(media_server.base + "/x") == (ACCOUNT_SID, AUTH_TOKEN)
    assert _credentials_for("https://api.twilio.com/2010-04-01/x") == (ACCOUNT_SID, AUTH_TOKEN)
    assert _credentials_for("https://media.example.com/x") is None
    assert _credentials_for("https://api.twilio.com.evil.example/x") is None


def file_with_photos(phone: Phone, *items: tuple[str, str]) -> None:
    """A whole filing by SMS whose story came with these files."""
    phone.send("HELLO")
    phone.send("Photos", **media(*items))
    for answer in ("0", "Voi", "1", "2", "1"):
        phone.send(answer)


def assert_refused_then_stored(reason: str) -> None:
    refused, stored = all_media()
    assert (refused.status, refused.last_error) == (MediaStatus.FAILED, reason)
    assert stored.status is MediaStatus.STORED


def test_only_twilios_media_addresses_are_fetched(phone: Phone, media_server: MediaServer) -> None:
    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host, port = elsewhere.server_address[:2]
    elsewhere.server_close()
    photo = media_server.add("ME6", PHOTO)
    file_with_photos(
        phone, (f"http://{host!s}:{port}/internal/admin", "image/jpeg"), (photo, "image/jpeg")
    )

    assert fetch_pending_media() == 1

    assert_refused_then_stored("not a Twilio media address: not fetched")
    assert media_server.requests == [photo.removeprefix(media_server.base)]


def test_a_file_is_kept_under_the_type_its_bytes_show_or_not_at_all(
    phone: Phone, media_server: MediaServer
) -> None:
    disguised = media_server.add("ME7", b"<html><script>alert(1)</script></html>")
    mislabelled = media_server.add("ME8", PHOTO)
    file_with_photos(phone, (disguised, "image/jpeg"), (mislabelled, "image/png"))

    assert fetch_pending_media() == 1

    assert_refused_then_stored("not a photo, recording or PDF by its content")
    (grievance,) = phone.grievances()
    (attachment,) = db.session.scalars(
        select(Attachment).where(Attachment.grievance_id == grievance.id)
    ).all()
    assert attachment.content_type == "image/jpeg"  # what the bytes are, not what was said


def test_a_media_address_must_be_twilios_own(app: Any, media_server: MediaServer) -> None:
    assert fetchable(media_server.base + "/2010-04-01/x")
    assert fetchable("https://api.twilio.com/2010-04-01/x")
    assert not fetchable("http://api.twilio.com/2010-04-01/x")
    assert not fetchable("https://api.twilio.com.evil.example/x")
    assert not fetchable("https://user:pw@api.twilio.com/x")
    assert not fetchable("http://169.254.169.254/latest/meta-data/")


def test_the_worker_runs_the_media_and_conversation_jobs() -> None:
    assert {"inbound_media", "conversations"} <= {job.name for job in PERIODIC_JOBS}


def test_a_file_after_filing_starts_a_new_draft_rather_than_being_lost(
    phone: Phone, media_server: MediaServer
) -> None:
    file_by_phone(phone)
    photo = media_server.add("ME6", PHOTO)
    assert phone.send("", **media((photo, "image/jpeg"))) == rendered(sms_texts.WHAT_HAPPENED, "en")
    conversation = phone.open_conversation()
    assert conversation is not None
    (item,) = all_media()
    assert item.conversation_id == conversation.id


def test_a_photo_sent_with_the_answer_to_the_teams_question_joins_the_case(
    client: FlaskClient, scenario: Scenario, media_server: MediaServer
) -> None:
    grievance, phone = awaiting_answer(scenario, client)
    photo = media_server.add("ME7", PHOTO)

    reply = phone.send("Here is the fence.", **media((photo, "image/jpeg")))

    assert reply == rendered(sms_texts.INFORMATION_THANKS, "en")
    (item,) = all_media()
    assert item.grievance_id == grievance.id
    assert fetch_pending_media() == 1
    (attachment,) = db.session.scalars(
        select(Attachment).where(Attachment.grievance_id == grievance.id)
    ).all()
    assert attachment.content == PHOTO


def test_whatsapp_voice_notes_and_photos_take_the_mms_path_with_its_host_rule(
    client: FlaskClient, media_server: MediaServer
) -> None:
    """WhatsApp sends voice notes as audio/ogg and photos as image/jpeg: recorded with the
    message, fetched once the grievance exists, only from the provider's host."""
    phone = Phone(client, a_number(), whatsapp=True)
    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    host, port = elsewhere.server_address[:2]
    elsewhere.server_close()
    voice = media_server.add("ME20", VOICE)
    photo = media_server.add("ME21", PHOTO)
    phone.send("HELLO")
    phone.send("", **media((voice, "audio/ogg"), (f"http://{host!s}:{port}/x", "image/jpeg")))
    phone.send("Here", **media((photo, "image/jpeg")))
    for answer in ("0", "Voi", "1", "2", "1"):
        phone.send(answer)
    (grievance,) = phone.grievances()

    assert fetch_pending_media() == 2

    kept = db.session.scalars(
        select(Attachment.content_type).where(Attachment.grievance_id == grievance.id)
    ).all()
    assert sorted(kept) == ["audio/ogg", "image/jpeg"]
    refused = [m for m in all_media() if m.status is MediaStatus.FAILED]
    assert [m.last_error for m in refused] == ["not a Twilio media address: not fetched"]
