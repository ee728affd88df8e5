"""Senders hand one outbox message to a provider; the worker decides what happens next.

``twilio`` uses the official client (SMS and WhatsApp, a number or a Messaging Service,
any Twilio-compatible API through ``TWILIO_API_BASE_URL``, always with a timeout); a
message on the voice channel is placed as a call through the Calls API, its TwiML and
status callback at our addresses (``CALL_PATH``, ``CALL_STATUS_PATH``).
``log`` is the default without Twilio credentials: it marks messages sent without any
network, so they show in the SMS simulator, and logs only the outbox id and template.

A sender returns what the provider said on success and raises :class:`SendFailure`
otherwise, saying whether a retry may help. Nothing here touches the database.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client  # noqa: TID251 (this module is the sender)

from remedy.messaging.whatsapp_templates import TemplateBook, load_book
from remedy.models.outbox_message import MessageChannel

logger = logging.getLogger(__name__)

WHATSAPP_PREFIX = "whatsapp:"

# Twilio error codes the worker acts on.
OPTED_OUT = "21610"
WHATSAPP_WINDOW_CLOSED = "63016"
# Ours: outside the window, and no approved template for the message's kind and language.
NO_TEMPLATE = "no-template"

# A call the mechanism places: Twilio fetches its TwiML here once it is answered, and posts
# its final status (completed, busy, no-answer, failed) there; both carry the outbox id.
CALL_PATH = "/twilio/voice/outbound"
CALL_STATUS_PATH = "/twilio/voice/status"
# Seconds a call rings before Twilio calls it unanswered.
RING_SECONDS = 30

# Fixed words for the codes seen most, stored with the code in ``last_error``. The
# provider's own message is never stored or logged: it may quote the phone number.
KNOWN_ERRORS: dict[str, str] = {
    "20003": "authentication failed (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)",
    "20429": "too many requests",
    "21211": "invalid recipient number",
    "21408": "sending to this region is not enabled",
    "21606": "the sending number cannot send to this recipient",
    "21610": "recipient opted out (STOP)",
    "21612": "this route cannot deliver to the recipient",
    "21614": "recipient number is not a mobile number",
    "30003": "recipient unreachable",
    "30004": "message blocked",
    "30005": "unknown recipient",
    "30006": "landline or unreachable carrier",
    "30007": "filtered by the carrier",
    "30008": "unknown delivery error",
    "63016": "outside the WhatsApp 24-hour window",
    NO_TEMPLATE: "outside the WhatsApp 24-hour window, no approved template",
}


def describe(code: str | None, http_status: int | None = None) -> str:
    """``last_error`` text: the code and fixed words, at most 200 characters."""
    words = KNOWN_ERRORS.get(code or "", "provider error")
    parts = [f"HTTP {http_status}" if http_status else "", f"error {code}" if code else "", words]
    return ": ".join(part for part in parts if part)[:200]


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, decrypted, as a sender needs it."""

    id: int
    channel: MessageChannel
    address: str
    body: str
    template: str
    attempt: int
    # The person sent STOP after this was queued: the worker fails it without sending.
    opted_out: bool = False
    # WhatsApp: what the message says (kind, language, values) for a template, and
    # whether the number wrote within 24 hours (read when sending).
    kind: str = ""
    language: str = "en"
    variables: Mapping[str, str] | None = None
    window_open: bool = True
    # The web request that queued it (``remedy.core.request_ids``), for the worker's log.
    request_id: str | None = None


@dataclass(frozen=True)
class Accepted:
    provider_id: str | None
    provider_status: str | None


class SendFailure(Exception):
    """The provider did not take the message.

    ``retry``: a later attempt may work (429, 5xx, network errors, timeouts). A timeout or
    a 5xx is ambiguous (the provider may have taken it): the status callback, whose URL
    carries the outbox id, settles such a message if it did. ``fallback_to_sms``: the
    same text should go by SMS instead (WhatsApp could not deliver it); with no SMS
    sender configured it is kept on the web status page instead.
    """

    def __init__(
        self,
        reason: str,
        *,
        retry: bool,
        code: str | None = None,
        http_status: int | None = None,
        fallback_to_sms: bool = False,
        keep_for_web: bool = False,
    ) -> None:
        super().__init__(reason)
        self.keep_for_web = keep_for_web
        self.reason = reason
        self.retry = retry
        self.code = code
        self.http_status = http_status
        self.fallback_to_sms = fallback_to_sms


class Sender(Protocol):
    name: str

    def rate_key(self, message: Outgoing) -> str | None:
        """Messages sharing a key share one send rate; ``None``: no rate applies."""

    def send(self, message: Outgoing) -> Accepted:
        """Hand the message over; raise :class:`SendFailure` if the provider refused it."""


class LogSender:
    """No network at all: the message counts as sent and stays readable in the simulator."""

    name = "log"

    def rate_key(self, message: Outgoing) -> str | None:
        return None

    def send(self, message: Outgoing) -> Accepted:
        logger.info(
            "outbox %s (%s, %s) kept in the log sender, not sent",
            message.id,
            message.template,
            message.channel.value,
        )
        return Accepted(provider_id=None, provider_status=None)


class _BaseUrlHttpClient(TwilioHttpClient):
    """The official HTTP client, with a timeout and, if set, another API origin.

    The REST client builds ``https://api.twilio.com/...`` URLs itself; this rewrites the
    scheme and host (keeping the path) so a Twilio-compatible API or a local fake answers.
    """

    def __init__(self, timeout: float, base_url: str = "") -> None:
        super().__init__(timeout=timeout)
        self.base = urlsplit(base_url.rstrip("/")) if base_url else None
        # requests reads proxy and CA settings from the environment on every request (a
        # seventh of the worker's time per message): read them once, here, instead.
        assert self.session is not None
        self.proxy = requests.utils.get_environ_proxies(base_url or "https://api.twilio.com")
        self.session.trust_env = False
        # requests' own variables, not Remedy settings: read where requests would read them.
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")  # noqa: TID251
        if bundle:
            self.session.verify = bundle

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if self.base is not None:
            parts = urlsplit(url)
            url = urlunsplit(
                (
                    self.base.scheme,
                    self.base.netloc,
                    self.base.path + parts.path,
                    parts.query,
                    "",
                )
            )
        response: Response = super().request(method, url, *args, **kwargs)
        return response


def rest_client(
    account_sid: str, auth_token: str, timeout: float, api_base_url: str = ""
) -> Client:
    """Twilio's official REST client, for messages and for recordings alike: a timeout, and
    another API origin when one is configured (the fake API in tests)."""
    return Client(account_sid, auth_token, http_client=_BaseUrlHttpClient(timeout, api_base_url))


def whatsapp_address(number: str) -> str:
    return number if number.startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + number


class TwilioSender:
    """Twilio's Messages API; the status callback URL carries the outbox id."""

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sms_from: str,
        whatsapp_from: str,
        public_url: str,
        timeout: float,
        api_base_url: str = "",
        voice_from: str = "",
        book: TemplateBook | None = None,
    ) -> None:
        self.sms_from = sms_from.strip()
        self.book = book or TemplateBook()
        self.whatsapp_from = whatsapp_from.strip()
        # Calls come from a number: TWILIO_VOICE_FROM, or TWILIO_FROM when it is one.
        default_voice = "" if self.sms_from.startswith("MG") else self.sms_from
        self.voice_from = voice_from.strip() or default_voice
        self.public_url = public_url.rstrip("/")
        self.client = rest_client(account_sid, auth_token, timeout, api_base_url)

    def _route(self, message: Outgoing) -> dict[str, str]:
        """To, and From or the Messaging Service, for the message's channel."""
        number = message.address.removeprefix(WHATSAPP_PREFIX)
        if message.channel is MessageChannel.WHATSAPP:
            if self.whatsapp_from:
                sender = whatsapp_address(self.whatsapp_from)
            elif self.sms_from.startswith("MG"):
                sender = self.sms_from  # a Messaging Service with a WhatsApp sender in its pool
            else:
                raise SendFailure(
                    "no WhatsApp sender configured (TWILIO_WHATSAPP_FROM)",
                    retry=False,
                    code="whatsapp-not-configured",
                    fallback_to_sms=True,
                )
            to = whatsapp_address(number)
        else:
            if not self.sms_from:
                raise SendFailure(
                    "no SMS sender configured (TWILIO_FROM)", retry=False, code="sms-not-configured"
                )
            sender, to = self.sms_from, number
        if sender.startswith("MG"):
            return {"to": to, "messaging_service_sid": sender}
        return {"to": to, "from_": sender}

    def rate_key(self, message: Outgoing) -> str | None:
        if message.channel is MessageChannel.VOICE:
            # Twilio limits calls per second apart from messages.
            return f"twilio-calls:{self.voice_from}" if self.voice_from else None
        try:
            route = self._route(message)
        except SendFailure:
            return None
        return "twilio:" + route.get("messaging_service_sid", route.get("from_", ""))

    def status_callback(self, outbox_id: int) -> str:
        return f"{self.public_url}/twilio/status?outbox={outbox_id}"

    def send(self, message: Outgoing) -> Accepted:
        if message.channel is MessageChannel.VOICE:
            return self._handed(message, lambda: self._call(message))
        try:
            route = self._route(message)
            content = self._content(message)
            return self._handed(
                message,
                lambda: self.client.messages.create(
                    status_callback=self.status_callback(message.id),
                    attempt=message.attempt,
                    **content,
                    **route,
                ),
            )
        except SendFailure as failure:
            # Without an SMS sender, what WhatsApp cannot carry waits on the web instead.
            if failure.fallback_to_sms and not self.sms_from:
                failure.fallback_to_sms, failure.keep_for_web = False, True
            raise

    def _content(self, message: Outgoing) -> dict[str, str]:
        """Free text, or content with its variables (WhatsApp: ``whatsapp_templates``)."""
        if message.channel is not MessageChannel.WHATSAPP:
            return {"body": message.body}
        choice = self.book.choose(
            message.kind or message.template,
            message.language,
            message.body,
            message.variables,
            message.window_open,
        )
        if choice is None:
            raise SendFailure(
                describe(NO_TEMPLATE), retry=False, code=NO_TEMPLATE, fallback_to_sms=True
            )
        if choice.content_sid is not None:
            return {
                "content_sid": choice.content_sid,
                "content_variables": choice.content_variables or "{}",
            }
        return {"body": choice.body or ""}

    def _call(self, message: Outgoing) -> Any:
        """A call to the person: Twilio fetches our TwiML once it is answered."""
        if not self.voice_from:
            raise SendFailure(
                "no number to call from (TWILIO_VOICE_FROM)",
                retry=False,
                code="voice-not-configured",
            )
        return self.client.calls.create(
            to=message.address,
            from_=self.voice_from,
            url=f"{self.public_url}{CALL_PATH}?outbox={message.id}",
            method="POST",
            status_callback=f"{self.public_url}{CALL_STATUS_PATH}?outbox={message.id}",
            status_callback_method="POST",
            status_callback_event=["completed"],
            timeout=RING_SECONDS,
        )

    def _handed(self, message: Outgoing, create: Callable[[], Any]) -> Accepted:
        """What the provider said of ``create``; a :class:`SendFailure` for a refusal."""
        try:
            created = create()
        except (TwilioRestException, TwilioServiceException) as error:
            raise _failure(error.status, error.code, message.channel) from None
        except requests.Timeout:
            raise SendFailure("timed out waiting for the provider", retry=True) from None
        except requests.RequestException as error:
            raise SendFailure(
                f"network error: {type(error).__name__}", retry=True, code="network"
            ) from None
        except (TwilioException, json.JSONDecodeError) as error:
            raise SendFailure(
                f"unreadable provider answer: {type(error).__name__}", retry=True
            ) from None
        return Accepted(provider_id=created.sid, provider_status=created.status)


def _failure(status: int, code: Any, channel: MessageChannel) -> SendFailure:
    code_text = str(code) if code is not None else None
    retry = status == 429 or status >= 500
    return SendFailure(
        describe(code_text, status),
        retry=retry,
        code=code_text,
        http_status=status,
        fallback_to_sms=channel is MessageChannel.WHATSAPP and code_text == WHATSAPP_WINDOW_CLOSED,
    )


def build_sender(config: Mapping[str, Any]) -> Sender:
    """The sender ``REMEDY_SENDER`` names (checked at start-up by ``load_config``)."""
    if config["REMEDY_SENDER"] == "twilio":
        return TwilioSender(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            sms_from=config["TWILIO_FROM"],
            whatsapp_from=config["TWILIO_WHATSAPP_FROM"],
            public_url=config["REMEDY_PUBLIC_URL"],
            timeout=config["REMEDY_SEND_TIMEOUT_SECONDS"],
            api_base_url=config["TWILIO_API_BASE_URL"],
            voice_from=config.get("TWILIO_VOICE_FROM", ""),
            book=load_book(
                config.get("REMEDY_WHATSAPP_TEMPLATES", ""), tuple(config.get("LANGUAGES", ()))
            ),
        )
    return LogSender()
