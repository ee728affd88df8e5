"""A refused filing shows everything wrong at once and loses nothing typed or attached: every
bad line of a people list named with what was typed, and the consent evidence kept for the
member's next try."""

from __future__ import annotations

from io import BytesIO

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.filing import kept_files
from remedy.models import Attachment, Grievance, Mandate
from remedy.models.web_draft import WebDraft
from remedy.proxy.filing import PeopleListRefused, parse_people
from tests.proxy.portal import CONSENT_PDF, count, file_for_others, filed, filing
from tests.support import csrf_token

PEOPLE = "Amina Wanjiru, +254711100101\n0712 34\n\nGrace Achieng\nJoseph, 12-x\nPeter, 99"


def test_every_bad_number_is_named_by_its_line_with_what_was_typed() -> None:
    with pytest.raises(PeopleListRefused) as refused:
        parse_people(PEOPLE)

    assert len(refused.value.lines) == 2
    assert refused.value.lines[0].startswith("Line 2: '0712 34' is not a phone number; write it")
    assert refused.value.lines[1].startswith("Line 6: '99' is not a phone number; write it")
    assert isinstance(refused.value, InvalidInput)
    assert refused.value.field == "people"


def test_a_list_with_bad_numbers_comes_back_as_typed_with_each_line_said(
    portal: FlaskClient,
) -> None:
    before = count(Grievance)

    response = file_for_others(portal, people=PEOPLE, description="")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 2: &#39;0712 34&#39; is not a phone number" in page
    assert "Line 6: &#39;99&#39; is not a phone number" in page
    assert "Tell us what happened." in page  # the form's own errors, in the same answer
    assert "Amina Wanjiru, +254711100101\n0712 34\n\nGrace Achieng" in page
    assert '<details class="section" open>' in page  # the list is not folded away
    assert count(Grievance) == before


def _post(client: FlaskClient, evidence: bytes | None = None, **overrides: object) -> str:
    html = client.get("/proxy/file").get_data(as_text=True)
    data = {**filing(**overrides), "csrf_token": csrf_token(html)}
    if evidence is not None:
        data["evidence"] = (BytesIO(evidence), "consent.pdf", "application/pdf")
    response = client.post("/proxy/file", data=data, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def test_the_evidence_is_kept_after_a_refusal_and_used_on_the_next_submit(
    portal: FlaskClient,
) -> None:
    refused = _post(portal, evidence=CONSENT_PDF, description="")
    assert "Kept: consent.pdf" in refused

    response = file_for_others(portal)

    grievance = filed(response)
    (mandate,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    attachment = db.session.get(Attachment, mandate.evidence_attachment_id)
    assert attachment is not None
    assert attachment.content == CONSENT_PDF
    assert count(WebDraft) == 0  # used, so no longer kept
    assert "Kept:" not in portal.get("/proxy/file").get_data(as_text=True)


def test_a_kept_file_the_member_removes_is_not_used(portal: FlaskClient) -> None:
    _post(portal, evidence=CONSENT_PDF, description="")

    grievance = filed(file_for_others(portal, remove_evidence="y"))

    (mandate,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    assert mandate.evidence_attachment_id is None
    assert count(WebDraft) == 0


def test_a_file_that_is_not_evidence_is_refused_and_not_kept(portal: FlaskClient) -> None:
    page = _post(portal, evidence=b"MZ\x90\x00 an executable", description="")

    assert "must be a photo (JPEG or PNG), a PDF or an audio recording" in page
    assert "Kept:" not in page
    assert count(WebDraft) == 0


def test_a_kept_file_opens_only_for_the_account_that_kept_it(app: object) -> None:
    token = kept_files.keep_file(None, "user:1", "consent.pdf", "application/pdf", CONSENT_PDF)

    assert kept_files.kept_file(token, "user:2") is None
    kept = kept_files.kept_file(token, "user:1")
    assert kept is not None
    assert (kept.name, kept.content) == ("consent.pdf", CONSENT_PDF)
