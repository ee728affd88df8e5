"""The recovery code on the receipt: shown once when filing, printed on the receipt with
the PIN, and a page where it opens the case whatever the lockout."""

from __future__ import annotations

import re
from typing import Any

import pytest

from remedy.access.case_access import MAX_FAILURES, WAY_IN_MESSAGE, CaseNotFound, open_case
from remedy.access.recovery import use_recovery_code
from tests.web.conftest import WebVisitor, shown

CODE = re.compile(r'id="recovery-code"[^>]*>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})<')


def code_on(html: str) -> str:
    match = CODE.search(html)
    assert match, "no recovery code on the page"
    return match.group(1)


def lock(reference: str, wrong: str) -> None:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong, f"web:10.1.1.{attempt}")


def test_the_result_page_shows_the_recovery_code_once(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file()
    code = code_on(visitor.get("/file/done").text)

    assert code not in visitor.get("/file/receipt").text  # the plain receipt: no secrets
    with_secrets = visitor.get("/file/receipt?pin=yes").text
    assert code_on(with_secrets) == code
    assert "/recover" in with_secrets  # where to use it
    assert code not in visitor.get(f"/case/{reference}/receipt").text


def test_the_code_opens_a_locked_case_and_shows_a_new_pin_and_code_once(
    visitor: WebVisitor, new_visitor: Any
) -> None:
    reference, pin = visitor.file()
    code = code_on(visitor.get("/file/done").text)
    lock(reference, "000000" if pin != "000000" else "111111")
    owner = new_visitor()
    assert owner.open_case(reference, pin).status_code == 400  # locked

    response = owner.post("/recover", {"reference": reference, "code": code.lower()})

    assert response.status_code == 200, response.text
    new_pin, new_code = shown(response.text, "pin"), code_on(response.text)
    assert new_code != code
    assert owner.get(f"/case/{reference}").status_code == 200  # open in this browser
    assert use_recovery_code(reference, new_code, "test").grievance.reference == reference
    assert len(new_pin) == 6


def test_a_wrong_code_is_explained_and_says_where_else_to_turn(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file()

    response = visitor.post("/recover", {"reference": reference, "code": "ABCD-EFGH-JKMN-PQRS"})

    assert response.status_code == 400
    assert "do not match" in response.text
    assert "ask the organisation that helped you file" in response.text


def test_missing_answers_are_explained(visitor: WebVisitor) -> None:
    response = visitor.post("/recover", {"reference": "", "code": ""})
    assert response.status_code == 400
    assert "Give the recovery code from your receipt." in response.text


@pytest.mark.parametrize(
    "app_overrides",
    [{"REMEDY_CONTACT_SMS": "+254 700 100 200", "REMEDY_PIN_LOOKUP_RATE_LIMIT": "100 per hour"}],
)
def test_a_refused_pin_says_how_else_to_get_in(visitor: WebVisitor) -> None:
    reference, pin = visitor.file()

    response = visitor.open_case(reference, "000000" if pin != "000000" else "111111")

    assert response.status_code == 400
    assert str(WAY_IN_MESSAGE) in response.text
    assert f"/recover?reference={reference}" in response.text
    assert "+254 700 100 200" in response.text  # the team's contact points
