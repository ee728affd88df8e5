"""Remedy's own settings, typed and frozen, made once per app from its configuration.

``config.load_config`` reads the environment into Flask's configuration (the keys Flask
and its extensions want stay there); ``Settings.from_config`` turns Remedy's keys into
this object when the app is created, after any overrides, and the code reads
``settings()``: a typo is a type error, not a ``KeyError`` in production, and nothing
changes it while the app runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

EXTENSION_KEY = "remedy.settings"


@dataclass(frozen=True, kw_only=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    sms_from: str
    whatsapp_from: str
    # A Twilio-compatible API instead of api.twilio.com (tests use a local fake).
    api_base_url: str


@dataclass(frozen=True, kw_only=True)
class OutboxSettings:
    sender: str
    send_timeout_seconds: float
    send_rate: float
    lease_seconds: float
    batch_size: int
    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float
    jobs_interval_seconds: float
    worker_idle_seconds: float


@dataclass(frozen=True, kw_only=True)
class AskSettings:
    """What a phone number is asked: see ``remedy.cases.asks``."""

    # A follow-up question of the dialogue (why, what is missing) waits this long.
    reply_window: timedelta
    # Messages after an answer to the team's question join that answer this long.
    answer_window: timedelta
    # STATUS with the PIN lets a discreet case's pending step be answered this long.
    unlock_window: timedelta


@dataclass(frozen=True, kw_only=True)
class VoiceSettings:
    """The voice channel: see ``remedy.voice``."""

    # Where "speak to someone" is forwarded during office hours ("" : never forwarded).
    forward_to: str
    office_hours: str
    timezone: str
    # "fr=Polly.Lea:fr-FR,..." over the defaults of remedy.voice.speech.
    voices: str
    prompts_url: str
    # Call-backs: the waits before each new try of an unheard call (``remedy.voice``).
    retries: tuple[timedelta, ...]
    # REMEDY_VOICE_CALLBACK: a known number's call is rejected and called back.
    missed_call_callback: bool
    # At most one missed-call call-back per number in this time.
    callback_every: timedelta


@dataclass(frozen=True, kw_only=True)
class ContactSettings:
    """How affected people reach the team, as written by the operator ("" : not offered)."""

    sms: str
    whatsapp: str
    voice: str
    email: str
    address: str

    @property
    def any(self) -> bool:
        return any((self.sms, self.whatsapp, self.voice, self.email, self.address))


@dataclass(frozen=True, kw_only=True)
class Settings:
    production: bool
    public_url: str
    channels: tuple[str, ...]
    organisation_name: str
    # Shipped languages (code → own name) and the default one.
    languages: Mapping[str, str]
    default_language: str
    trusted_proxies: int
    twilio: TwilioSettings
    outbox: OutboxSettings
    idle_timeout: timedelta
    # The absolute lifetime of a signed-in session, whatever its activity.
    session_max_age: timedelta
    sign_in_lockout_after: int
    sign_in_lockout: timedelta
    sign_in_rate_limit: str
    pin_lookup_rate_limit: str
    api_rate_limit: str
    # How long a new API token lasts when its creator does not say (REMEDY_TOKEN_DAYS).
    token_lifetime: timedelta
    jurisdiction: str
    deadline_overrides: str
    appeal_window: timedelta
    check_in_window: timedelta
    monitoring_window: timedelta
    # Recurrence alerts: this many grievances of one category at one place within the window.
    recurrence_threshold: int
    recurrence_window: timedelta
    # A root cause back at one place within this window alerts too (issue 15).
    root_cause_recurrence_window: timedelta
    # Place names the trends count grievances by (region level only).
    regions: tuple[str, ...]
    reveal_minutes: int
    conversation_hours: int
    draft_reminder_hours: int
    draft_resume_days: int
    prepared_pins: int
    asks: AskSettings
    voice: VoiceSettings
    # ``REMEDY_RETENTION_DAYS`` as written; ``remedy.identity.retention`` reads it.
    retention_days: str
    # ISO 3166 country of numbers written without a country code ("" : none).
    default_country: str
    contacts: ContactSettings
    # Public statistics: the smallest count shown, and how old the figures may get.
    statistics_min_cell: int = 5
    statistics_max_age: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(
            production=bool(config["REMEDY_PRODUCTION"]),
            public_url=str(config["REMEDY_PUBLIC_URL"]).rstrip("/"),
            channels=tuple(config["REMEDY_CHANNELS"]),
            organisation_name=str(config["REMEDY_ORGANISATION_NAME"]),
            languages=MappingProxyType(dict(config["LANGUAGES"])),
            default_language=str(config["BABEL_DEFAULT_LOCALE"]),
            trusted_proxies=int(config["REMEDY_TRUSTED_PROXIES"]),
            twilio=TwilioSettings(
                account_sid=str(config["TWILIO_ACCOUNT_SID"]),
                auth_token=str(config["TWILIO_AUTH_TOKEN"]),
                sms_from=str(config["TWILIO_FROM"]),
                whatsapp_from=str(config["TWILIO_WHATSAPP_FROM"]),
                api_base_url=str(config["TWILIO_API_BASE_URL"]),
            ),
            outbox=OutboxSettings(
                sender=str(config["REMEDY_SENDER"]),
                send_timeout_seconds=float(config["REMEDY_SEND_TIMEOUT_SECONDS"]),
                send_rate=float(config["REMEDY_SEND_RATE"]),
                lease_seconds=float(config["REMEDY_OUTBOX_LEASE_SECONDS"]),
                batch_size=int(config["REMEDY_OUTBOX_BATCH_SIZE"]),
                max_attempts=int(config["REMEDY_OUTBOX_MAX_ATTEMPTS"]),
                backoff_seconds=float(config["REMEDY_OUTBOX_BACKOFF_SECONDS"]),
                backoff_max_seconds=float(config["REMEDY_OUTBOX_BACKOFF_MAX_SECONDS"]),
                jobs_interval_seconds=float(config["REMEDY_JOBS_INTERVAL_SECONDS"]),
                worker_idle_seconds=float(config["REMEDY_WORKER_IDLE_SECONDS"]),
            ),
            idle_timeout=config["REMEDY_IDLE_TIMEOUT"],
            session_max_age=config["REMEDY_SESSION_MAX_AGE"],
            sign_in_lockout_after=int(config["REMEDY_SIGN_IN_LOCKOUT_AFTER"]),
            sign_in_lockout=config["REMEDY_SIGN_IN_LOCKOUT"],
            sign_in_rate_limit=str(config["REMEDY_SIGN_IN_RATE_LIMIT"]),
            pin_lookup_rate_limit=str(config["REMEDY_PIN_LOOKUP_RATE_LIMIT"]),
            api_rate_limit=str(config["REMEDY_API_RATE_LIMIT"]),
            token_lifetime=config["REMEDY_TOKEN_LIFETIME"],
            jurisdiction=str(config["REMEDY_JURISDICTION"]),
            deadline_overrides=str(config["REMEDY_DEADLINE_OVERRIDES"]),
            appeal_window=config["REMEDY_APPEAL_WINDOW"],
            check_in_window=config["REMEDY_CHECK_IN_WINDOW"],
            monitoring_window=config["REMEDY_MONITORING_WINDOW"],
            recurrence_threshold=int(config.get("REMEDY_RECURRENCE_THRESHOLD", 3)),
            recurrence_window=config.get("REMEDY_RECURRENCE_WINDOW", timedelta(days=30)),
            root_cause_recurrence_window=config.get(
                "REMEDY_ROOT_CAUSE_RECURRENCE_WINDOW", timedelta(days=180)
            ),
            regions=tuple(config.get("REMEDY_REGIONS", ())),
            reveal_minutes=int(config["REMEDY_REVEAL_MINUTES"]),
            conversation_hours=int(config["REMEDY_CONVERSATION_HOURS"]),
            draft_reminder_hours=int(config["REMEDY_DRAFT_REMINDER_HOURS"]),
            draft_resume_days=int(config["REMEDY_DRAFT_RESUME_DAYS"]),
            prepared_pins=int(config["REMEDY_PREPARED_PINS"]),
            asks=AskSettings(
                reply_window=timedelta(hours=int(config["REMEDY_ASK_HOURS"])),
                answer_window=timedelta(hours=int(config["REMEDY_ANSWER_HOURS"])),
                unlock_window=timedelta(minutes=int(config["REMEDY_UNLOCK_MINUTES"])),
            ),
            voice=VoiceSettings(
                forward_to=str(config.get("REMEDY_VOICE_FORWARD_TO", "")),
                office_hours=str(config.get("REMEDY_OFFICE_HOURS", "")),
                timezone=str(config.get("BABEL_DEFAULT_TIMEZONE", "UTC")),
                voices=str(config.get("REMEDY_VOICE_VOICES", "")),
                prompts_url=str(config.get("REMEDY_VOICE_PROMPTS_URL", "")),
                retries=tuple(
                    timedelta(seconds=float(wait))
                    for wait in config.get("REMEDY_VOICE_RETRIES", (900.0, 7200.0))
                ),
                missed_call_callback=bool(config.get("REMEDY_VOICE_CALLBACK", False)),
                callback_every=timedelta(
                    minutes=int(config.get("REMEDY_VOICE_CALLBACK_MINUTES", 10))
                ),
            ),
            retention_days=str(config["REMEDY_RETENTION_DAYS"]),
            default_country=str(config.get("REMEDY_DEFAULT_COUNTRY", "")),
            contacts=ContactSettings(
                sms=str(config.get("REMEDY_CONTACT_SMS", "")),
                whatsapp=str(config.get("REMEDY_CONTACT_WHATSAPP", "")),
                voice=str(config.get("REMEDY_CONTACT_VOICE", "")),
                email=str(config.get("REMEDY_CONTACT_EMAIL", "")),
                address=str(config.get("REMEDY_CONTACT_ADDRESS", "")),
            ),
            statistics_min_cell=max(2, int(config.get("REMEDY_STATISTICS_MIN_CELL", 5))),
            statistics_max_age=config.get("REMEDY_STATISTICS_MAX_AGE", timedelta(minutes=15)),
        )


def init_app(app: Flask) -> Settings:
    made = Settings.from_config(app.config)
    app.extensions[EXTENSION_KEY] = made
    return made


def settings() -> Settings:
    """This app's settings (inside an application context)."""
    made: Settings = current_app.extensions[EXTENSION_KEY]
    return made
