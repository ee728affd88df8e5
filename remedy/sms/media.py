"""Photos, voice notes and documents sent by SMS (MMS) or WhatsApp become attachments.

The webhook only records each file's address and type (``InboundMedia``), so it
answers at once; the worker fetches the files later with :func:`fetch_pending_media`,
once the conversation has filed its grievance, and stores each as an encrypted
attachment. A file is claimed with one conditional UPDATE (committed before the
download), so several workers never fetch the same one; a worker that dies leaves a
claim that expires. Failed downloads are retried with backoff, then given up with
the reason kept. Twilio's credentials go only to Twilio's own API host: a redirect
elsewhere (Twilio serves media from a storage host) is followed without them.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from sqlalchemy import or_, select, update

from remedy.core.actors import SYSTEM
from remedy.core.errors import ConflictError, ServiceError
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic
from remedy.filing.file_types import kept_type
from remedy.filing.grievances import MAX_ATTACHMENT_BYTES, add_attachment
from remedy.models.grievance import Grievance
from remedy.models.inbound_message import InboundMedia, MediaStatus
from remedy.models.types import utcnow
from remedy.sms.inbound import MEDIA_TYPES

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 20.0
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
TWILIO_API_HOST = "api.twilio.com"


@dataclass(frozen=True)
class Fetched:
    content: bytes


class FetchFailed(Exception):
    """The file could not be fetched; ``permanent`` when trying again cannot help."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def _twilio_hosts() -> set[str]:
    """Where Twilio keeps media: its API host, or the configured Twilio-compatible one."""
    hosts = {TWILIO_API_HOST}
    configured = settings().twilio.api_base_url
    if configured:
        hosts.add(urlsplit(configured).netloc)
    return hosts


def fetchable(url: str) -> bool:
    """Only Twilio's media addresses are fetched (over HTTPS from Twilio itself): a media
    URL is never a way to make the worker call another host (server-side request forgery).
    Twilio may then redirect to its own storage, which it chooses."""
    parts = urlsplit(url)
    if parts.netloc not in _twilio_hosts() or parts.username or parts.password:
        return False
    return parts.scheme == "https" or parts.netloc != TWILIO_API_HOST


def _credentials_for(url: str) -> tuple[str, str] | None:
    """Twilio's account SID and token, only for Twilio's API host (or the configured one)."""
    twilio = settings().twilio
    sid, token = twilio.account_sid, twilio.auth_token
    if not sid or not token:
        return None
    return (sid, token) if urlsplit(url).netloc in _twilio_hosts() else None


def download(url: str) -> Fetched:
    """The file's bytes, at most the attachment limit; FetchFailed otherwise."""
    if not fetchable(url):
        raise FetchFailed("not a Twilio media address: not fetched", permanent=True)
    try:
        # requests drops the Authorization header when a redirect leaves the host.
        with requests.get(
            url, auth=_credentials_for(url), timeout=TIMEOUT_SECONDS, stream=True
        ) as response:
            if response.status_code in (401, 403, 404, 410):
                raise FetchFailed(f"HTTP {response.status_code}", permanent=True)
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code}")
            content = bytearray()
            for chunk in response.iter_content(64 * 1024):
                content += chunk
                if len(content) > MAX_ATTACHMENT_BYTES:
                    raise FetchFailed("larger than the attachment limit", permanent=True)
    except requests.RequestException as exc:
        raise FetchFailed(type(exc).__name__) from exc
    if not content:
        raise FetchFailed("empty", permanent=True)
    return Fetched(bytes(content))


def _due(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(InboundMedia.id)
            .where(
                InboundMedia.grievance_id.is_not(None),
                or_(
                    (InboundMedia.status == MediaStatus.PENDING)
                    & (InboundMedia.available_at <= now),
                    (InboundMedia.status == MediaStatus.FETCHING)
                    & (InboundMedia.lease_expires_at < now),
                ),
            )
            .order_by(InboundMedia.id)
            .limit(50)
        )
    )


def _claim(media_id: int, now: datetime) -> bool:
    """Take one file for this worker: one conditional UPDATE, committed before fetching."""
    with atomic():
        result = db.session.execute(
            update(InboundMedia)
            .where(
                InboundMedia.id == media_id,
                or_(
                    InboundMedia.status == MediaStatus.PENDING,
                    (InboundMedia.status == MediaStatus.FETCHING)
                    & (InboundMedia.lease_expires_at < now),
                ),
            )
            .values(
                status=MediaStatus.FETCHING,
                lease_expires_at=now + LEASE,
                attempts=InboundMedia.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
    return bool(getattr(result, "rowcount", 0) == 1)


def _filename(media: InboundMedia) -> str:
    extension = mimetypes.guess_extension(media.content_type) or ""
    return f"message-{media.message_id}-{media.position + 1}{extension}"


def fetch_pending_media(now: datetime | None = None) -> int:
    """Periodic (the worker): fetch the files of filed conversations; returns how many
    became attachments."""
    now = now or utcnow()
    stored = 0
    for media_id in _due(now):
        if not _claim(media_id, now):
            continue  # another worker has it
        media = db.session.get(InboundMedia, media_id)
        assert media is not None
        url = media.url
        try:
            fetched = download(url)
            kind = kept_type(media.content_type, fetched.content)
            if kind is None or kind not in MEDIA_TYPES:
                raise FetchFailed("not a photo, recording or PDF by its content", permanent=True)
        except FetchFailed as failure:
            _failed(media_id, failure, now)
            continue
        try:
            with atomic():
                media = db.session.get(InboundMedia, media_id)
                assert media is not None
                assert media.grievance_id is not None
                grievance = db.session.get(Grievance, media.grievance_id)
                assert grievance is not None
                attachment = add_attachment(
                    SYSTEM, grievance, _filename(media), kind, fetched.content
                )
                media.attachment_id = attachment.id
                media.status = MediaStatus.STORED
                media.lease_expires_at = None
                media.last_error = None
            stored += 1
        except ConflictError:
            raise  # someone changed the case meanwhile: the next run tries again
        except ServiceError as refusal:
            _failed(media_id, FetchFailed(type(refusal).__name__, permanent=True), now)
    return stored


def _failed(media_id: int, failure: FetchFailed, now: datetime) -> None:
    with atomic():
        media = db.session.get(InboundMedia, media_id)
        assert media is not None
        give_up = failure.permanent or media.attempts >= MAX_ATTEMPTS
        media.status = MediaStatus.FAILED if give_up else MediaStatus.PENDING
        media.available_at = now + BACKOFF * (2 ** max(0, media.attempts - 1))
        media.lease_expires_at = None
        media.last_error = failure.reason[:200]
    # Ids and reasons only: the address names the account and the message.
    logger.warning("inbound media %s not fetched: %s", media_id, failure.reason)
