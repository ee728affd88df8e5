"""In production the site tells browsers to use HTTPS only, for a year, subdomains too;
on a laptop (http://127.0.0.1) it must not, or the browser would refuse plain HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from remedy.core.config import load_config

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture(params=[True, False], ids=["production", "development"])
def app_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {"REMEDY_PRODUCTION": request.param}


@pytest.mark.parametrize("page", ["/", "/sign-in", "/api/v1/docs", "/api/v1/grievances"])
def test_production_answers_carry_hsts_for_a_year(
    client: FlaskClient, app_overrides: dict[str, Any], page: str
) -> None:
    response = client.get(page)

    if app_overrides["REMEDY_PRODUCTION"]:
        assert response.headers["Strict-Transport-Security"] == HSTS
    else:
        assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(("env", "production"), [("production", True), ("development", False)])
def test_remedy_env_decides_production(tmp_path: Path, env: str, production: bool) -> None:
    environ = {
        "REMEDY_ENV": env,
        "SECRET_KEY": "s" * 48,
        "REMEDY_ENCRYPTION_KEY": "q2yWw9u7bO2m3z8y6mI0mH5c0Xv0K8JpZ0W2bq8a0wE=",
        "REMEDY_PUBLIC_URL": "https://remedy.example",
    }

    assert load_config(environ, tmp_path)["REMEDY_PRODUCTION"] is production
