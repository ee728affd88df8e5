"""/healthz and /readyz: what a load balancer and an orchestrator ask (issue 17).

/healthz: the process answers. /readyz: the database answers, the migrations are at
head, the keys are loaded and the translations compiled; otherwise 503 with the reasons
in fixed words, never personal data. Neither sets a cookie.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from remedy.core.extensions import db
from tests.support import make_account, sign_in


def test_healthz_says_the_process_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_on_a_migrated_database(client: FlaskClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}


def test_readyz_with_migrations_behind_head_is_503_with_the_reason(
    client: FlaskClient,
) -> None:
    db.session.execute(text("UPDATE alembic_version SET version_num = '0037_oversight_role'"))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "reasons": ["migrations behind head"]}


def test_readyz_names_a_database_at_a_migration_the_code_does_not_know(
    client: FlaskClient,
) -> None:
    db.session.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reasons"] == ["database at a migration this code does not know"]


def test_readyz_without_a_keyring_is_503(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(app.extensions, "remedy.keyring")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reasons"] == ["encryption keys not loaded"]


def test_readyz_with_a_stale_catalogue_is_503(
    app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = tmp_path / "fr" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "messages.mo").write_bytes(b"")
    (catalogue / "messages.po").write_text('msgid ""\nmsgstr ""\n')
    os.utime(catalogue / "messages.mo", (1_000_000, 1_000_000))  # older than its source
    monkeypatch.setitem(app.config, "BABEL_TRANSLATION_DIRECTORIES", str(tmp_path))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reasons"] == ["translations not compiled"]


def test_readyz_when_the_database_fails_says_so_and_nothing_more(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection to server at 10.0.0.5 failed for user remedy")

    monkeypatch.setattr(db.session, "execute", refuse)
    monkeypatch.setattr(db.session, "connection", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "not ready", "reasons": ["database unreachable"]}
    assert b"10.0.0.5" not in response.data


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_probes_set_no_cookie_even_for_a_signed_in_browser(client: FlaskClient, probe: str) -> None:
    sign_in(client, make_account())
    assert client.get("/console/").status_code == 200  # the session is live
    assert "Set-Cookie" in client.get("/console/").headers  # and refreshed on each page

    response = client.get(probe)

    assert response.status_code in (200, 503)
    assert "Set-Cookie" not in response.headers


def test_probes_answer_every_request_without_a_rate_limit(client: FlaskClient) -> None:
    answers = {client.get("/readyz").status_code for _ in range(40)}

    assert answers == {200}
