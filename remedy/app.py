"""The application factory: configuration, extensions, blueprints, channels, commands."""

from __future__ import annotations

import importlib
import logging
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, url_for
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from channels.browser_hooks import spare_from_browser_hooks
from remedy import errors, models, security
from remedy.access import rate_limits
from remedy.cases import people_texts
from remedy.core import logs, settings
from remedy.core.config import PROJECT_ROOT, ConfigError, load_config
from remedy.core.crypto import InvalidKeyError, Keyring
from remedy.core.extensions import babel, csrf, db, limiter, migrate
from remedy.core.i18n import (
    compile_catalogues,
    current_language,
    language_url,
    select_locale,
    text_direction,
)
from remedy.core.numbers import ltr_html
from remedy.core.sqlite_file import prepare_sqlite_file
from remedy.identity.phones import phone_example

KNOWN_CHANNELS = ("web", "sms", "voice", "proxy")


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, and waiting rather than failing."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


class _HideResultRows(logging.Filter):
    """SQLAlchemy logs result rows at DEBUG after the column types ran, so decrypted.

    ``hide_parameters`` hides what goes in; this hides what comes out, so turning on
    SQL debug logging never writes personal data to the logs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "Row %r":
            record.msg, record.args = "Row [values hidden: they may hold personal data]", ()
        return True


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_HideResultRows())


def _no_icon() -> Response:
    """Pages say they have no icon (``data:,``) so a slow phone makes no second request;
    a browser that asks anyway gets an empty answer, not a 404 in the logs."""
    return Response(status=204)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    overrides = dict(overrides or {})
    # The factory hands load_config the environment with the caller's keys laid over it.
    environ = dict(os.environ)  # noqa: TID251
    for name in ("SECRET_KEY", "REMEDY_ENCRYPTION_KEY"):
        if overrides.get(name):
            environ[name] = overrides[name]
    instance = overrides.get("INSTANCE_PATH")
    config = load_config(environ, Path(instance) if instance else None)
    config.update(overrides)

    app = Flask(
        "remedy",
        instance_path=config["INSTANCE_PATH"],
        root_path=str(PROJECT_ROOT / "remedy"),
    )
    app.config.update(config)
    logs.stamp_records()
    if not app.testing:  # tests capture logs their own way (caplog)
        logs.configure(app.config["REMEDY_LOG_FORMAT"], app.config["REMEDY_LOG_LEVEL"])
    _prepare_instance(app)

    try:
        app.extensions["remedy.keyring"] = Keyring(
            app.config["REMEDY_ENCRYPTION_KEY"], app.config["REMEDY_ENCRYPTION_OLD_KEYS"]
        )
    except InvalidKeyError as exc:
        raise ConfigError(
            f"REMEDY_ENCRYPTION_KEY or REMEDY_ENCRYPTION_OLD_KEYS is not usable: {exc}. "
            "Generate one with `flask --app wsgi keys generate`."
        ) from exc

    _check_workflow_settings(app)
    proxies = settings.init_app(app).trusted_proxies
    if proxies:
        # Flask's documented way to wrap the WSGI app; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    assert models.__all__  # every table is registered before migrations look
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    compile_catalogues(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    assert rate_limits.SCHEME  # the database storage is registered before the limiter looks
    rate_limits.init_app(app)
    limiter.init_app(app)

    from remedy.auth import sessions
    from remedy.auth.views import bp as auth_bp
    from remedy.console import simulator_voice  # noqa: F401 - its routes join the simulator's
    from remedy.console.learning import bp as learning_bp
    from remedy.console.organisations import bp as organisations_bp
    from remedy.console.simulator import bp as simulator_bp
    from remedy.console.users import bp as users_bp
    from remedy.console.views import bp as console_bp
    from remedy.console.webhooks import bp as webhooks_bp

    sessions.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(simulator_bp)
    app.add_url_rule("/favicon.ico", "favicon", _no_icon)
    from remedy import api, ops

    api.init_app(app)
    ops.init_app(app)
    _load_channels(app)
    for machines in ("sms", "voice", "ops"):
        if machines in app.blueprints:
            # Twilio's signed webhooks and the probes: no cookie, no form token, no rate limit.
            spare_from_browser_hooks(app, machines, kept={security.add_security_headers})
    _register_template_globals(app)

    from remedy.audit import receivers
    from remedy.jobs import registry
    from remedy.webhooks import events as webhook_events

    receivers.connect()
    webhook_events.connect()
    registry.init_app(app)

    from remedy.cli import register_commands

    register_commands(app)
    return app


def _check_workflow_settings(app: Flask) -> None:
    from remedy.workflows.deadlines import POLICIES, with_overrides

    name = app.config["REMEDY_JURISDICTION"]
    if name not in POLICIES:
        raise ConfigError(
            f"REMEDY_JURISDICTION={name!r} is not a known policy; choose one of "
            f"{', '.join(POLICIES)}."
        )
    try:
        with_overrides(POLICIES[name], app.config["REMEDY_DEADLINE_OVERRIDES"])
    except ValueError as exc:
        raise ConfigError(f"REMEDY_DEADLINE_OVERRIDES: {exc}.") from exc
    from remedy.identity.retention import RetentionPolicyError, parse_policy

    try:
        parse_policy(str(app.config["REMEDY_RETENTION_DAYS"]))
    except RetentionPolicyError as exc:
        raise ConfigError(
            f"{exc} Write days, or days per outcome: REMEDY_RETENTION_DAYS=1826,not_remedied=3650."
        ) from exc
    from remedy.messaging.whatsapp_templates import TemplateFileError, load_book

    try:  # a worker would stop on it at start-up anyway: every process says so at once
        load_book(app.config["REMEDY_WHATSAPP_TEMPLATES"], tuple(app.config["LANGUAGES"]))
    except TemplateFileError as exc:
        raise ConfigError(f"REMEDY_WHATSAPP_TEMPLATES: {exc}.") from exc


def _prepare_instance(app: Flask) -> None:
    prepare_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))


def _load_channels(app: Flask) -> None:
    for name in app.config["REMEDY_CHANNELS"]:
        if name not in KNOWN_CHANNELS:
            raise ConfigError(
                f"REMEDY_CHANNELS names {name!r}, which is not a channel of this version; "
                f"available: {', '.join(KNOWN_CHANNELS)}."
            )
        importlib.import_module(f"channels.{name}").init_app(app)


def _register_template_globals(app: Flask) -> None:
    # Numbers read left to right on every page, and the ways to reach the team
    # (remedy/templates/numbers.html).
    app.add_template_filter(ltr_html, "ltr")
    app.add_template_global(phone_example, "phone_example")
    app.add_template_global(lambda: settings.settings().contacts, "contacts")
    # The people's words in the reader's language (remedy.cases.people_texts).
    app.add_template_filter(people_texts.description, "for_people")
    app.add_template_filter(people_texts.versions, "in_people_languages")

    @app.context_processor
    def language_context() -> dict[str, Any]:
        language = current_language()
        return {
            "language": language,
            "direction": text_direction(language),
            "languages": app.config["LANGUAGES"],
            "organisation_name": app.config["REMEDY_ORGANISATION_NAME"],
            "home_url": url_for("web.home") if "web.home" in app.view_functions else "/",
            "language_url": language_url,
        }
