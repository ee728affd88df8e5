"""Configuration read once from the environment, checked at start-up.

Views and services never read the environment: :func:`load_config` fills Flask's
configuration from the variables documented in the README, and the app factory turns
Remedy's own keys into the typed, frozen ``remedy.core.settings.Settings`` that the code
reads.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import phonenumbers

from remedy.core.crypto import generate_key

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
TRANSLATIONS_PATH = PROJECT_ROOT / "translations"

LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "sw": "Kiswahili",
    "ar": "العربية",
}
DEFAULT_CHANNELS = ("web", "sms", "voice", "proxy")


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work; the message says how to fix it."""


def _instance_secret(instance_path: Path, name: str, make: Any) -> str:
    """Read a secret from ``instance/``, creating it once (mode 0600) for local runs."""
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    value: str = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def load_config(
    environ: Mapping[str, str] | None = None, instance_path: Path | None = None
) -> dict[str, Any]:
    """Build the Flask configuration from environment variables."""
    env = os.environ if environ is None else environ
    instance = Path(env.get("REMEDY_INSTANCE_PATH") or instance_path or DEFAULT_INSTANCE_PATH)
    production = env.get("REMEDY_ENV", "development").strip().lower() == "production"

    secret_key = env.get("SECRET_KEY", "").strip()
    encryption_key = env.get("REMEDY_ENCRYPTION_KEY", "").strip()
    if production:
        missing = [
            name
            for name, value in (
                ("SECRET_KEY", secret_key),
                ("REMEDY_ENCRYPTION_KEY", encryption_key),
                ("REMEDY_PUBLIC_URL", env.get("REMEDY_PUBLIC_URL", "").strip()),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                "Remedy runs in production mode (REMEDY_ENV=production) but "
                + ", ".join(missing)
                + " is not set. Generate keys with `.venv/bin/flask --app wsgi keys generate`"
                " and set them in the environment; see the configuration table in README.md."
            )
    if not secret_key:
        secret_key = _instance_secret(instance, "secret_key", lambda: secrets.token_urlsafe(48))
    if not encryption_key:
        encryption_key = _instance_secret(instance, "encryption_key", generate_key)

    database_url = env.get("DATABASE_URL", "").strip() or f"sqlite:///{instance / 'remedy.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    channels = tuple(
        name.strip()
        for name in env.get("REMEDY_CHANNELS", ",".join(DEFAULT_CHANNELS)).split(",")
        if name.strip()
    )
    default_locale = env.get("REMEDY_DEFAULT_LANGUAGE", "en").strip() or "en"
    if default_locale not in LANGUAGES:
        raise ConfigError(
            f"REMEDY_DEFAULT_LANGUAGE={default_locale!r} is not a shipped language; "
            f"choose one of {', '.join(LANGUAGES)}."
        )

    return {
        "REMEDY_PRODUCTION": production,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": secret_key,
        "REMEDY_ENCRYPTION_KEY": encryption_key,
        "REMEDY_ENCRYPTION_OLD_KEYS": env.get("REMEDY_ENCRYPTION_OLD_KEYS", ""),
        # Backups are sealed under a key of their own, never a data key (docs/operations.md).
        "REMEDY_BACKUP_KEY": env.get("REMEDY_BACKUP_KEY", "").strip(),
        "REMEDY_BACKUP_KEY_FILE": env.get("REMEDY_BACKUP_KEY_FILE", "").strip(),
        "REMEDY_PUBLIC_URL": env.get("REMEDY_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Reverse proxies in front whose X-Forwarded-* headers are trusted (ProxyFix).
        "REMEDY_TRUSTED_PROXIES": int(env.get("REMEDY_TRUSTED_PROXIES", "0") or 0),
        "REMEDY_CHANNELS": channels,
        "REMEDY_ORGANISATION_NAME": env.get("REMEDY_ORGANISATION_NAME", "Remedy"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # hide_parameters: SQL errors and logs never carry the values (personal data).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Argon2id cost; RFC 9106's second recommendation, above OWASP's minimum.
        "ARGON2_TIME_COST": int(env.get("REMEDY_ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_KIB": int(env.get("REMEDY_ARGON2_MEMORY_KIB", str(64 * 1024))),
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_FROM": env.get("TWILIO_FROM", ""),
        "TWILIO_API_BASE_URL": env.get("TWILIO_API_BASE_URL", ""),
        # The outbox worker and its sender: see outbox_settings below.
        **outbox_settings(env),
        **observability_settings(env),
        "BABEL_DEFAULT_LOCALE": default_locale,
        "BABEL_DEFAULT_TIMEZONE": env.get("REMEDY_TIMEZONE", "UTC"),
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_PATH),
        "LANGUAGES": LANGUAGES,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "remedy_session",
        "REMEDY_IDLE_TIMEOUT": timedelta(minutes=30),
        # A signed-in session ends this long after sign-in, however active (idle: 30 minutes).
        "REMEDY_SESSION_MAX_AGE": timedelta(
            hours=_number(env, "REMEDY_SESSION_MAX_HOURS", 12, 0.1)
        ),
        "REMEDY_SIGN_IN_LOCKOUT_AFTER": 5,
        "REMEDY_SIGN_IN_LOCKOUT": timedelta(minutes=15),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Counters in the app's database, shared by every worker (remedy.access.rate_limits);
        # redis://host:6379 for many servers.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "remedy-db://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "REMEDY_SIGN_IN_RATE_LIMIT": env.get("REMEDY_SIGN_IN_RATE_LIMIT", "10 per minute"),
        # Case look-ups with reference and PIN, per phone number or address, on every channel.
        "REMEDY_PIN_LOOKUP_RATE_LIMIT": env.get("REMEDY_PIN_LOOKUP_RATE_LIMIT", "20 per hour"),
        # JSON API requests per token (per address for requests without one).
        "REMEDY_API_RATE_LIMIT": env.get("REMEDY_API_RATE_LIMIT", "300 per minute"),
        # Days a new API token lasts unless its creator says otherwise (at most ten years).
        "REMEDY_TOKEN_LIFETIME": _token_lifetime(env),
        # Workflows: see docs/workflows.md.
        "REMEDY_JURISDICTION": env.get("REMEDY_JURISDICTION", "default"),
        "REMEDY_DEADLINE_OVERRIDES": env.get("REMEDY_DEADLINE_OVERRIDES", ""),
        "REMEDY_APPEAL_WINDOW": timedelta(days=int(env.get("REMEDY_APPEAL_WINDOW_DAYS", "30"))),
        "REMEDY_CHECK_IN_WINDOW": timedelta(days=int(env.get("REMEDY_CHECK_IN_WINDOW_DAYS", "14"))),
        "REMEDY_MONITORING_WINDOW": timedelta(
            days=int(env.get("REMEDY_MONITORING_WINDOW_DAYS", "120"))
        ),
        # Recurrence alerts: supervisors hear when this many grievances of one category
        # share a place word within this many days (``remedy.cases.recurrence``).
        "REMEDY_RECURRENCE_THRESHOLD": int(env.get("REMEDY_RECURRENCE_THRESHOLD", "3")),
        "REMEDY_RECURRENCE_WINDOW": timedelta(days=int(env.get("REMEDY_RECURRENCE_DAYS", "30"))),
        # A root cause set on a case where another case at the same place had it within
        # this many days alerts the supervisors (``remedy.cases.recurrence``).
        "REMEDY_ROOT_CAUSE_RECURRENCE_WINDOW": timedelta(
            days=int(env.get("REMEDY_ROOT_CAUSE_RECURRENCE_DAYS", "180"))
        ),
        # The regions the trends count by (comma-separated place names, matched as whole
        # words through the place blind index: ``remedy.queue.trends``).
        "REMEDY_REGIONS": tuple(
            name.strip() for name in env.get("REMEDY_REGIONS", "").split(",") if name.strip()
        ),
        # How long an approved identity reveal shows the identity to the one who asked.
        "REMEDY_REVEAL_MINUTES": int(env.get("REMEDY_REVEAL_MINUTES", "30")),
        # An SMS or WhatsApp conversation left silent this long ends; its draft is kept.
        "REMEDY_CONVERSATION_HOURS": int(env.get("REMEDY_CONVERSATION_HOURS", "24")),
        # A silent conversation is reminded once, this many hours before it would expire.
        "REMEDY_DRAFT_REMINDER_HOURS": int(env.get("REMEDY_DRAFT_REMINDER_HOURS", "4")),
        # After expiry, the number's next message within this many days is offered the draft.
        "REMEDY_DRAFT_RESUME_DAYS": int(env.get("REMEDY_DRAFT_RESUME_DAYS", "7")),
        # What a phone number is asked (remedy.cases.asks): how long a follow-up question of
        # the dialogue waits for its answer, when the decision sets no deadline of its own.
        "REMEDY_ASK_HOURS": int(env.get("REMEDY_ASK_HOURS", "72")),
        # After an answer to the team's question, further messages join it for this long.
        "REMEDY_ANSWER_HOURS": int(env.get("REMEDY_ANSWER_HOURS", "6")),
        # After STATUS with the PIN, a discreet case's pending step may be answered by SMS.
        "REMEDY_UNLOCK_MINUTES": int(env.get("REMEDY_UNLOCK_MINUTES", "60")),
        # PINs the worker keeps hashed ahead of time, so filing never waits for Argon2id.
        "REMEDY_PREPARED_PINS": int(env.get("REMEDY_PREPARED_PINS", "50")),
        # Public statistics (docs/statistics.md): counts from 1 to this minus one are hidden,
        # and the figures are computed again once they are this old.
        "REMEDY_STATISTICS_MIN_CELL": int(env.get("REMEDY_STATISTICS_MIN_CELL", "5")),
        "REMEDY_STATISTICS_MAX_AGE": timedelta(
            minutes=int(env.get("REMEDY_STATISTICS_MAX_AGE", "15"))
        ),
        # The voice channel: see docs/voice.md.
        "REMEDY_VOICE_FORWARD_TO": env.get("REMEDY_VOICE_FORWARD_TO", "").strip(),
        # When "speak to someone" is forwarded, e.g. "mon-fri 08:00-17:00" (REMEDY_TIMEZONE).
        "REMEDY_OFFICE_HOURS": env.get("REMEDY_OFFICE_HOURS", "").strip(),
        # Twilio voices per language, "fr=Polly.Lea:fr-FR,ar=Polly.Zeina:arb" (over defaults).
        "REMEDY_VOICE_VOICES": env.get("REMEDY_VOICE_VOICES", "").strip(),
        # Where recorded prompts are served from (default: this app, from instance/voice).
        "REMEDY_VOICE_PROMPTS_URL": env.get("REMEDY_VOICE_PROMPTS_URL", "").strip().rstrip("/"),
        # Call-backs (docs/voice.md): the waits before each call is tried again, and the
        # missed-call call-back, at most once per number in so many minutes.
        "REMEDY_VOICE_RETRIES": _waits(env, "REMEDY_VOICE_RETRIES", "15m,2h"),
        "REMEDY_VOICE_CALLBACK": _switch(env, "REMEDY_VOICE_CALLBACK"),
        "REMEDY_VOICE_CALLBACK_MINUTES": int(_number(env, "REMEDY_VOICE_CALLBACK_MINUTES", 10, 1)),
        # Days a case's personal data is kept after it ends: one number, or one per outcome
        # ("1826,not_remedied=3650"); checked at start-up (remedy.identity.retention).
        "REMEDY_RETENTION_DAYS": env.get("REMEDY_RETENTION_DAYS", "1826"),
        # Numbers and contact points: see docs/operations.md.
        "REMEDY_DEFAULT_COUNTRY": default_country(env),
        **{
            f"REMEDY_CONTACT_{name}": " ".join(env.get(f"REMEDY_CONTACT_{name}", "").split())
            for name in CONTACT_POINTS
        },
    }


# The ways to reach the team shown to affected people, each optional.
CONTACT_POINTS = ("SMS", "WHATSAPP", "VOICE", "EMAIL", "ADDRESS")


def default_country(env: Mapping[str, str]) -> str:
    """The ISO 3166 country of numbers written without their country code ("" : none)."""
    raw = env.get("REMEDY_DEFAULT_COUNTRY", "").strip().upper()
    if raw and raw not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(
            f"REMEDY_DEFAULT_COUNTRY={raw!r} is not a country code libphonenumber knows; "
            "write a two-letter ISO 3166 code such as KE, or leave it empty."
        )
    return raw


SENDERS = ("twilio", "log")


def _token_lifetime(env: Mapping[str, str]) -> timedelta:
    days = _number(env, "REMEDY_TOKEN_DAYS", 90, 1)
    if days > 3650:
        raise ConfigError("REMEDY_TOKEN_DAYS must be at most 3650 (ten years).")
    return timedelta(days=days)


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else float(default)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum:g}.")
    return value


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _waits(env: Mapping[str, str], name: str, default: str) -> tuple[float, ...]:
    """ "15m,2h": seconds to wait before each retry (empty: no retry)."""
    raw = env.get(name, default).strip()
    waits = []
    for item in filter(None, (part.strip().lower() for part in raw.split(","))):
        number, unit = item[:-1], item[-1]
        if unit not in UNITS or not number.isdigit():
            raise ConfigError(f"{name}={raw!r}: write waits like 15m,2h (s, m, h or d).")
        waits.append(float(int(number) * UNITS[unit]))
    return tuple(waits)


def _switch(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "off").strip().lower() or "off"
    if raw not in ("on", "off"):
        raise ConfigError(f"{name}={raw!r}: write on or off.")
    return raw == "on"


def outbox_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The outbox worker and its sender; ``twilio`` by default when Twilio is configured."""
    twilio_ready = all(
        env.get(name, "").strip() for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
    ) and bool(env.get("TWILIO_FROM", "").strip() or env.get("TWILIO_WHATSAPP_FROM", "").strip())
    sender = env.get("REMEDY_SENDER", "").strip().lower() or ("twilio" if twilio_ready else "log")
    if sender not in SENDERS:
        raise ConfigError(f"REMEDY_SENDER={sender!r}: choose one of {', '.join(SENDERS)}.")
    if sender == "twilio" and not twilio_ready:
        raise ConfigError(
            "REMEDY_SENDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM "
            "(or TWILIO_WHATSAPP_FROM); see the configuration table in README.md."
        )
    timeout = _number(env, "REMEDY_SEND_TIMEOUT_SECONDS", 10, 0.1)
    lease = _number(env, "REMEDY_OUTBOX_LEASE_SECONDS", 60, 1)
    if lease < 3 * timeout:
        raise ConfigError(
            "REMEDY_OUTBOX_LEASE_SECONDS must be at least three times "
            "REMEDY_SEND_TIMEOUT_SECONDS: a claim must outlive a slow provider call, or "
            "another worker would send the same message again."
        )
    return {
        "REMEDY_SENDER": sender,
        "TWILIO_WHATSAPP_FROM": env.get("TWILIO_WHATSAPP_FROM", "").strip(),
        # WhatsApp content templates by message kind and language (docs/whatsapp.md).
        "REMEDY_WHATSAPP_TEMPLATES": env.get("REMEDY_WHATSAPP_TEMPLATES", "").strip(),
        # The number call-backs come from (default: TWILIO_FROM when it is a number).
        "TWILIO_VOICE_FROM": env.get("TWILIO_VOICE_FROM", "").strip(),
        "REMEDY_SEND_TIMEOUT_SECONDS": timeout,
        "REMEDY_SEND_RATE": _number(env, "REMEDY_SEND_RATE", 10, 0),
        "REMEDY_OUTBOX_LEASE_SECONDS": lease,
        "REMEDY_OUTBOX_BATCH_SIZE": int(_number(env, "REMEDY_OUTBOX_BATCH_SIZE", 50, 1)),
        "REMEDY_OUTBOX_MAX_ATTEMPTS": int(_number(env, "REMEDY_OUTBOX_MAX_ATTEMPTS", 10, 1)),
        "REMEDY_OUTBOX_BACKOFF_SECONDS": _number(env, "REMEDY_OUTBOX_BACKOFF_SECONDS", 5, 0),
        "REMEDY_OUTBOX_BACKOFF_MAX_SECONDS": _number(
            env, "REMEDY_OUTBOX_BACKOFF_MAX_SECONDS", 900, 0
        ),
        "REMEDY_JOBS_INTERVAL_SECONDS": _number(env, "REMEDY_JOBS_INTERVAL_SECONDS", 60, 1),
        "REMEDY_WORKER_IDLE_SECONDS": _number(env, "REMEDY_WORKER_IDLE_SECONDS", 1, 0.01),
        # The inbox: attempts before a message is shown to the team as failed, the first
        # retry's wait (doubling), and how often an idle worker looks for new messages
        # where PostgreSQL's NOTIFY cannot wake it (SQLite).
        "REMEDY_INBOX_MAX_ATTEMPTS": int(_number(env, "REMEDY_INBOX_MAX_ATTEMPTS", 5, 1)),
        "REMEDY_INBOX_BACKOFF_SECONDS": _number(env, "REMEDY_INBOX_BACKOFF_SECONDS", 2, 0),
        "REMEDY_INBOX_POLL_SECONDS": _number(env, "REMEDY_INBOX_POLL_SECONDS", 0.2, 0.01),
        # Outbound webhooks (docs/webhooks.md): each POST's timeout, the attempts before a
        # delivery fails, and the first retry's wait (doubling, up to the maximum).
        "REMEDY_WEBHOOK_TIMEOUT_SECONDS": _number(env, "REMEDY_WEBHOOK_TIMEOUT_SECONDS", 10, 0.1),
        "REMEDY_WEBHOOK_MAX_ATTEMPTS": int(_number(env, "REMEDY_WEBHOOK_MAX_ATTEMPTS", 8, 1)),
        "REMEDY_WEBHOOK_BACKOFF_SECONDS": _number(env, "REMEDY_WEBHOOK_BACKOFF_SECONDS", 30, 0),
        "REMEDY_WEBHOOK_BACKOFF_MAX_SECONDS": _number(
            env, "REMEDY_WEBHOOK_BACKOFF_MAX_SECONDS", 3600, 0
        ),
    }


def observability_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Logs and metrics (docs/operations.md, "Health, metrics and logs")."""
    log_format = env.get("REMEDY_LOG_FORMAT", "plain").strip().lower() or "plain"
    if log_format not in ("plain", "json"):
        raise ConfigError(f"REMEDY_LOG_FORMAT={log_format!r}: write plain or json.")
    token = env.get("REMEDY_METRICS_TOKEN", "").strip()
    if token and len(token) < 24:
        raise ConfigError(
            "REMEDY_METRICS_TOKEN is too short to be a secret: use at least 24 characters, "
            "e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`."
        )
    return {
        "REMEDY_LOG_FORMAT": log_format,
        "REMEDY_LOG_LEVEL": env.get("REMEDY_LOG_LEVEL", "INFO").strip().upper() or "INFO",
        # /metrics answers only requests bearing this token; empty: /metrics is not served.
        "REMEDY_METRICS_TOKEN": token,
        # Where gunicorn's processes and the worker write their metrics (prometheus_client
        # reads the variable itself, before anything is counted): make run sets it.
        "PROMETHEUS_MULTIPROC_DIR": env.get("PROMETHEUS_MULTIPROC_DIR", "").strip(),
    }
