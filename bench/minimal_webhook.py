"""The yardsticks for ``sms_webhook.py``: webhooks that only store the raw message.

``app`` is a bare WSGI callable (no framework, no signature check, no encryption): it
reads the form, inserts MessageSid, From and Body into one table, commits, and answers
an empty TwiML ``<Response/>``. Served by the same gunicorn (2 sync workers) on the same
database kind as Remedy, it is what "just storing the message" costs on this machine.

``flask_app()`` builds one that does the same with the stack Remedy is built on (Flask,
SQLAlchemy Core, the Twilio library's TwiML): the difference between the two is the
framework's share, and the difference between it and Remedy is the conversation's.

``MINIMAL_DATABASE_URL``: ``sqlite:///path`` (WAL, ``synchronous=NORMAL``, as the app
sets it) or ``postgresql://...`` (psycopg). The bench creates the tables first
(:func:`create_schema`); each worker process opens one connection.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import Column, Float, MetaData, String, Table, Text, create_engine, event

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response />'
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000")

metadata = MetaData()
raw_messages = Table(
    "raw_messages",
    metadata,
    Column("message_sid", String(64), primary_key=True),
    Column("sender", String(64)),
    Column("body", Text),
    Column("received_at", Float),
)
flask_messages = raw_messages.to_metadata(metadata, name="raw_messages_flask")


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _engine(url: str) -> Any:
    engine = create_engine(_sqlalchemy_url(url))
    if url.startswith("sqlite:"):

        @event.listens_for(engine, "connect")
        def tune(dbapi_connection: Any, record: Any) -> None:
            for pragma in PRAGMAS:
                dbapi_connection.execute(f"PRAGMA {pragma}")

    return engine


def create_schema(url: str) -> None:
    engine = _engine(url)
    metadata.create_all(engine)
    engine.dispose()


class _Raw:
    """One DB-API connection per worker process, and its placeholder style."""

    connection: Any = None
    insert = ""

    @classmethod
    def connect(cls) -> Any:
        if cls.connection is None:
            url = os.environ["MINIMAL_DATABASE_URL"]
            if url.startswith("sqlite:///"):
                cls.connection = sqlite3.connect(
                    url.removeprefix("sqlite:///"), isolation_level=None
                )
                for pragma in PRAGMAS:
                    cls.connection.execute(f"PRAGMA {pragma}")
                mark = "?"
            else:
                import psycopg

                cls.connection = psycopg.connect(_sqlalchemy_url(url).replace("+psycopg", ""))
                cls.connection.autocommit = True
                mark = "%s"
            cls.insert = f"INSERT INTO raw_messages VALUES ({mark}, {mark}, {mark}, {mark})"  # noqa: S608
        return cls.connection


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(length).decode("utf-8", "replace"))

    def one(name: str) -> str:
        return form.get(name, [""])[0]

    connection = _Raw.connect()
    connection.execute(_Raw.insert, (one("MessageSid"), one("From"), one("Body"), time.time()))
    start_response(
        "200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(TWIML)))]
    )
    return [TWIML]


def flask_app() -> Any:
    """Built when gunicorn calls it (``bench.minimal_webhook:flask_app()``)."""
    from flask import Flask, Response, request
    from twilio.twiml.messaging_response import MessagingResponse

    engine = _engine(os.environ["MINIMAL_DATABASE_URL"])
    web = Flask(__name__)

    @web.post("/twilio/sms")
    def inbound() -> Response:
        form = request.form
        with engine.begin() as connection:
            connection.execute(
                flask_messages.insert().values(
                    message_sid=form.get("MessageSid", ""),
                    sender=form.get("From", ""),
                    body=form.get("Body", ""),
                    received_at=time.time(),
                )
            )
        return Response(str(MessagingResponse()), mimetype="application/xml")

    return web
