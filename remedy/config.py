"""Configuration read once from the environment, checked at start-up.

Views and services never read the environment: they read ``current_app.config``,
which :func:`load_config` fills from the variables documented in the README.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from remedy.crypto import generate_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
TRANSLATIONS_PATH = PROJECT_ROOT / "translations"

LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "sw": "Kiswahili",
    "ar": "العربية",
}
DEFAULT_CHANNELS = ("web",)


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work; the message says how to fix it."""


def _instance_secret(instance_path: Path, name: str, make: Any) -> str:
    """Read a secret from ``instance/``, creating it once (mode 0600) for local runs."""
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
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
                + " is not set. Generate keys with `flask --app wsgi keys generate` and set "
                "them in the environment; see the configuration table in README.md."
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
        "REMEDY_PUBLIC_URL": env.get("REMEDY_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
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
        "REMEDY_SIGN_IN_LOCKOUT_AFTER": 5,
        "REMEDY_SIGN_IN_LOCKOUT": timedelta(minutes=15),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "REMEDY_SIGN_IN_RATE_LIMIT": env.get("REMEDY_SIGN_IN_RATE_LIMIT", "10 per minute"),
        # Workflows: see docs/workflows.md.
        "REMEDY_JURISDICTION": env.get("REMEDY_JURISDICTION", "default"),
        "REMEDY_DEADLINE_OVERRIDES": env.get("REMEDY_DEADLINE_OVERRIDES", ""),
        "REMEDY_APPEAL_WINDOW": timedelta(days=int(env.get("REMEDY_APPEAL_WINDOW_DAYS", "30"))),
        "REMEDY_CHECK_IN_WINDOW": timedelta(days=int(env.get("REMEDY_CHECK_IN_WINDOW_DAYS", "14"))),
        "REMEDY_MONITORING_WINDOW": timedelta(
            days=int(env.get("REMEDY_MONITORING_WINDOW_DAYS", "120"))
        ),
    }
