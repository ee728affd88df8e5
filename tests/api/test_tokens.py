"""API tokens: issued once, stored hashed, revocable, acting as their account; every
refusal is a 401 problem with a Bearer challenge."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from remedy.accounts import tokens as api_tokens
from remedy.core.actors import OPERATOR
from remedy.core.config import ConfigError, load_config
from remedy.core.errors import InvalidInput, NotFound
from remedy.core.extensions import db
from remedy.models.api_token import ApiToken
from remedy.models.audit_event import AuditEvent
from remedy.models.types import utcnow
from tests.api.conftest import API, Api, user_of
from tests.workflows.scenarios import Scenario


def assert_unauthorized(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
    challenge = response.headers["WWW-Authenticate"]  # type: ignore[attr-defined]
    assert challenge.startswith("Bearer ")
    body = response.get_json()  # type: ignore[attr-defined]
    assert body["status"] == 401
    assert body["type"] == "/api/v1/docs#problem-unauthorized"


# The service -----------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash_with_a_public_prefix(scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler), "intake bot")

    stored = db.session.get(ApiToken, issued.token.id)
    assert stored is not None
    assert issued.secret.startswith("rmd_")
    assert len(issued.secret) >= 4 + 43
    assert stored.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert stored.prefix == issued.secret[:12]
    assert issued.secret not in {stored.token_hash, stored.prefix, stored.name}


def test_two_tokens_are_never_the_same(scenario: Scenario) -> None:
    user = user_of(scenario.handler)
    secrets = {api_tokens.issue_token(OPERATOR, user).secret for _ in range(20)}
    assert len(secrets) == 20


def test_issuing_and_revoking_are_audited_without_the_secret(scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler), "bot")
    api_tokens.revoke_token(OPERATOR, issued.token.id)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("api_token.%")).order_by(AuditEvent.seq)
    ).all()
    assert [event.action for event in events] == ["api_token.create", "api_token.revoke"]
    assert all(event.after and event.after["token_id"] == issued.token.id for event in events)
    assert all(issued.secret not in str(event.after) for event in events)


def test_revoking_twice_is_recorded_once(scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    first = api_tokens.revoke_token(OPERATOR, issued.token.id).revoked_at
    second = api_tokens.revoke_token(OPERATOR, issued.token.id).revoked_at
    assert first == second


def test_an_unknown_token_cannot_be_revoked(scenario: Scenario) -> None:
    with pytest.raises(NotFound):
        api_tokens.revoke_token(OPERATOR, 999)


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_lifetime_is_between_a_day_and_ten_years(scenario: Scenario, days: int) -> None:
    with pytest.raises(InvalidInput):
        api_tokens.issue_token(OPERATOR, user_of(scenario.handler), None, timedelta(days=days))


def test_a_deactivated_account_gets_no_token(scenario: Scenario) -> None:
    user = user_of(scenario.handler)
    user.active = False
    db.session.commit()
    with pytest.raises(InvalidInput):
        api_tokens.issue_token(OPERATOR, user)


# Authentication over HTTP -------------------------------------------------------------------


def test_a_valid_token_acts_as_its_account(handler_api: Api) -> None:
    response = handler_api.get("/grievances")
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-token",
        "Bearer rmd_" + "A" * 43,
        "Bearer rmd_" + "x" * 500,
        "Token rmd_" + "A" * 43,
    ],
)
def test_a_missing_malformed_or_unknown_token_is_refused(
    client: FlaskClient, scenario: Scenario, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    assert_unauthorized(client.get(f"{API}/grievances", headers=headers))


def test_the_scheme_is_case_insensitive(client: FlaskClient, scenario: Scenario) -> None:
    secret = api_tokens.issue_token(OPERATOR, user_of(scenario.handler)).secret
    response = client.get(f"{API}/grievances", headers={"Authorization": f"bearer {secret}"})
    assert response.status_code == 200


def test_a_revoked_token_is_refused_at_once(client: FlaskClient, scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    api = Api(client, issued.secret)
    assert api.get("/grievances").status_code == 200

    api_tokens.revoke_token(OPERATOR, issued.token.id)

    assert_unauthorized(api.get("/grievances"))


def test_a_token_lasts_90_days_unless_told_otherwise(scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))

    assert issued.token.expires_at is not None
    assert timedelta(days=89) < issued.token.expires_at - utcnow() <= timedelta(days=90)


class TestConfiguredLifetime:
    @pytest.fixture
    def app_overrides(self) -> dict[str, object]:
        return {"REMEDY_TOKEN_LIFETIME": timedelta(days=7)}

    def test_the_default_lifetime_is_configurable(self, scenario: Scenario) -> None:
        issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))

        assert issued.token.expires_at is not None
        assert timedelta(days=6) < issued.token.expires_at - utcnow() <= timedelta(days=7)


def test_a_token_without_expiry_from_before_keeps_working(
    client: FlaskClient, scenario: Scenario
) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    issued.token.expires_at = None
    db.session.commit()

    assert Api(client, issued.secret).get("/grievances").status_code == 200


def test_a_token_past_its_default_expiry_is_refused(
    client: FlaskClient, scenario: Scenario
) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    api = Api(client, issued.secret)
    assert api.get("/grievances").status_code == 200
    assert issued.token.expires_at is not None
    issued.token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert_unauthorized(api.get("/grievances"))


def test_an_expired_token_is_refused(client: FlaskClient, scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler), None, timedelta(days=1))
    issued.token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert_unauthorized(Api(client, issued.secret).get("/grievances"))


@pytest.mark.parametrize("change", ["deactivated", "locked"])
def test_a_token_of_an_inactive_or_locked_account_is_refused(
    client: FlaskClient, scenario: Scenario, change: str
) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    user = user_of(scenario.handler)
    if change == "deactivated":
        user.active = False
    else:
        user.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()

    assert_unauthorized(Api(client, issued.secret).get("/grievances"))


def test_a_lock_that_expired_no_longer_refuses(client: FlaskClient, scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    user_of(scenario.handler).locked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert Api(client, issued.secret).get("/grievances").status_code == 200


def test_use_is_noted_on_the_token(client: FlaskClient, scenario: Scenario) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))
    assert issued.token.last_used_at is None

    Api(client, issued.secret).get("/grievances")

    token = db.session.get(ApiToken, issued.token.id)
    assert token is not None
    assert token.last_used_at is not None


def test_the_api_never_sets_a_cookie(client: FlaskClient, handler_api: Api) -> None:
    response = handler_api.get("/grievances?lang=fr")
    assert "Set-Cookie" not in response.headers


def test_the_console_session_does_not_open_the_api(client: FlaskClient, scenario: Scenario) -> None:
    """A signed-in browser sends its cookie, never a bearer token: the API ignores cookies."""
    from tests.support import make_account, sign_in

    sign_in(client, make_account("someone@example.org"))

    assert_unauthorized(client.get(f"{API}/grievances"))


# Rate limit ---------------------------------------------------------------------------------


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self) -> dict[str, str]:
        return {"REMEDY_API_RATE_LIMIT": "3 per minute"}

    def test_each_token_has_its_own_budget(self, client: FlaskClient, scenario: Scenario) -> None:
        first = Api(client, api_tokens.issue_token(OPERATOR, user_of(scenario.handler)).secret)
        second = Api(client, api_tokens.issue_token(OPERATOR, user_of(scenario.handler)).secret)

        assert [first.get("/grievances").status_code for _ in range(3)] == [200] * 3
        refused = first.get("/grievances")
        assert refused.status_code == 429
        assert refused.mimetype == "application/problem+json"
        assert refused.get_json()["type"] == "/api/v1/docs#problem-too-many-requests"
        assert int(refused.headers["Retry-After"]) > 0
        assert second.get("/grievances").status_code == 200

    def test_a_success_carries_no_retry_after(
        self, client: FlaskClient, scenario: Scenario
    ) -> None:
        api = Api(client, api_tokens.issue_token(OPERATOR, user_of(scenario.handler)).secret)

        answered = api.get("/grievances")

        assert answered.status_code == 200
        assert "X-RateLimit-Remaining" in answered.headers  # the limit still applies
        assert "Retry-After" not in answered.headers


# The operator's commands --------------------------------------------------------------------


def test_tokens_create_prints_the_token_once_and_it_works(
    runner: FlaskCliRunner, client: FlaskClient, scenario: Scenario
) -> None:
    result = runner.invoke(
        args=["tokens", "create", "--user", "handler@example.org", "--name", "bot"]
    )

    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("rmd_")
    assert f"expires: {(utcnow() + timedelta(days=90)):%Y-%m-%d}" in result.output
    assert Api(client, secret).get("/grievances").status_code == 200


def test_tokens_create_with_an_expiry(runner: FlaskCliRunner, scenario: Scenario) -> None:
    result = runner.invoke(
        args=["tokens", "create", "--user", "handler@example.org", "--expires", "30"]
    )

    assert result.exit_code == 0, result.output
    (token,) = api_tokens.list_tokens()
    assert token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)


def test_tokens_list_shows_a_token_without_expiry_as_such(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    """Tokens issued before expiry was the default keep working, and say they never end."""
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler), "old bot")
    issued.token.expires_at = None
    db.session.commit()

    result = runner.invoke(args=["tokens", "list"])

    assert "expires no expiry" in result.output


def test_tokens_create_for_an_unknown_account_fails(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    result = runner.invoke(args=["tokens", "create", "--user", "nobody@example.org"])
    assert result.exit_code == 1
    assert "No account" in result.output


def test_tokens_list_shows_prefixes_never_secrets(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler), "intake bot")

    result = runner.invoke(args=["tokens", "list"])

    assert result.exit_code == 0, result.output
    assert issued.token.prefix in result.output
    assert "intake bot" in result.output
    assert "handler@example.org" in result.output
    assert issued.secret not in result.output


def test_tokens_revoke_ends_the_token(
    runner: FlaskCliRunner, client: FlaskClient, scenario: Scenario
) -> None:
    issued = api_tokens.issue_token(OPERATOR, user_of(scenario.handler))

    result = runner.invoke(args=["tokens", "revoke", str(issued.token.id)])

    assert result.exit_code == 0, result.output
    assert_unauthorized(Api(client, issued.secret).get("/grievances"))
    assert "No API tokens." in runner.invoke(args=["tokens", "list"]).output
    assert issued.token.prefix in runner.invoke(args=["tokens", "list", "--all"]).output


def test_tokens_revoke_an_unknown_token_fails(runner: FlaskCliRunner, scenario: Scenario) -> None:
    result = runner.invoke(args=["tokens", "revoke", "42"])
    assert result.exit_code == 1


@pytest.mark.parametrize(("value", "days"), [("", 90), ("30", 30), ("3650", 3650)])
def test_the_default_lifetime_comes_from_token_days(tmp_path: Path, value: str, days: int) -> None:
    config = load_config({"REMEDY_TOKEN_DAYS": value}, tmp_path)

    assert config["REMEDY_TOKEN_LIFETIME"] == timedelta(days=days)


@pytest.mark.parametrize("value", ["ninety", "0", "3651"])
def test_an_unusable_token_lifetime_stops_start_up(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="REMEDY_TOKEN_DAYS"):
        load_config({"REMEDY_TOKEN_DAYS": value}, tmp_path)
