"""What the complainant adds or says late in a case, on the public pages without script:
a file with later information (the filing's types and limits, errors that name the
limit), why they withdraw (optional; fear raises the case's reprisal risk for the team),
and, when asked whether the remedy reached them, that the team keeps proof of it."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from sqlalchemy import select, text

from remedy.cases import tracks
from remedy.core.extensions import db
from remedy.filing import later_files
from remedy.filing.grievances import MAX_ATTACHMENT_BYTES
from remedy.models import AddedInformation, Attachment, AuditEvent
from remedy.models.grievance import ReprisalRisk
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.models.withdrawal import WithdrawalReason
from tests.web.conftest import Case, WebVisitor, in_remedy
from tests.web.test_case import opened
from tests.workflows.scenarios import Scenario

FilledCase = Callable[..., Case]
PHOTO = b"\xff\xd8\xff\xe0" + b"the fence across the path" * 40
RECEIPT = b"%PDF-1.4 the receipt" + b" " * 100


def attachments_of(case: Case) -> list[Attachment]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Attachment).where(Attachment.grievance_id == case.grievance.id))
    )


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# A file with later information ------------------------------------------------------------


def test_the_information_page_is_a_multipart_form_with_an_optional_file(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    html = visitor.get(f"/case/{case.reference}/information").text

    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert "A photo, a PDF or a sound recording (optional)" in html
    assert "At most 10 MB." in html


def test_a_photo_added_with_information_is_kept_encrypted_with_it(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(
        f"/case/{case.reference}/information",
        {"information": "The fence again.", "attachment": (BytesIO(PHOTO), "fence.jpg")},
    )

    assert response.status_code == 302
    added = db.session.scalars(select(AddedInformation)).one()
    (photo,) = attachments_of(case)
    assert (photo.added_information_id, photo.content_type) == (added.id, "image/jpeg")
    assert photo.content == PHOTO
    raw = db.session.execute(text("SELECT content FROM attachments")).scalars().all()
    assert all(b"the fence across" not in bytes(value) for value in raw)


def test_information_without_a_file_is_added_as_before(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(f"/case/{case.reference}/information", {"information": "More."})

    assert response.status_code == 302
    assert attachments_of(case) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xd8\xff" + b"x" * MAX_ATTACHMENT_BYTES, "files up to 10 MB can be added"),
        (b"PK\x03\x04 a zip archive", "This kind of file cannot be added."),
        (b"", "The file is empty."),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_added(
    visitor: WebVisitor, filed_case: FilledCase, content: bytes, message: str
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(
        f"/case/{case.reference}/information",
        {"information": "The fence again.", "attachment": (BytesIO(content), "file.jpg")},
    )

    assert response.status_code == 400
    assert message in response.text
    assert 'id="attachment-error"' in response.text
    assert db.session.scalars(select(AddedInformation)).all() == []
    assert attachments_of(case) == []


def test_a_file_larger_than_any_request_gets_a_page_naming_the_limit(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)
    huge = b"\xff\xd8\xff" + b"x" * (17 * 1024 * 1024)

    response = visitor.post(
        f"/case/{case.reference}/information",
        {"information": "The fence again.", "attachment": (BytesIO(huge), "huge.jpg")},
    )

    assert response.status_code == 413
    assert "Files up to 10 MB can be added." in response.text


# Withdrawing with a reason -----------------------------------------------------------------


def test_the_withdraw_page_offers_the_reasons_and_needs_none(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    html = visitor.get(f"/case/{case.reference}/withdraw").text
    for reason in WithdrawalReason:
        assert f'value="{reason.value}"' in html
        assert reason.label in html
    visitor.post(f"/case/{case.reference}/withdraw", {})

    db.session.refresh(case.grievance)
    assert case.grievance.state == "withdrawn"
    assert case.grievance.withdrawal_reason is None
    assert events("grievance.withdrawal_reason") == []


def test_the_reason_and_the_words_are_kept_and_the_event_holds_no_words(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    visitor.post(
        f"/case/{case.reference}/withdraw",
        {"reason": "resolved", "note": "The company paid us at the baraza."},
    )

    db.session.refresh(case.grievance)
    assert case.grievance.state == "withdrawn"
    assert case.grievance.withdrawal_reason is WithdrawalReason.RESOLVED
    assert case.grievance.withdrawal_note == "The company paid us at the baraza."
    (event,) = events("grievance.withdrawal_reason")
    assert event.after == {"reason": "resolved", "note": True}
    assert case.grievance.reprisal_risk is ReprisalRisk.NONE
    raw = db.session.execute(text("SELECT withdrawal_note FROM grievances")).scalars().all()
    assert all(b"baraza" not in bytes(value) for value in raw if value is not None)


def test_withdrawing_out_of_fear_raises_the_reprisal_risk_for_the_team(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    visitor.post(f"/case/{case.reference}/withdraw", {"reason": "afraid"})

    db.session.refresh(case.grievance)
    assert case.grievance.state == "withdrawn"
    assert case.grievance.reprisal_risk is ReprisalRisk.HIGH
    assert case.grievance.discreet_messages
    (raised,) = events("grievance.reprisal_risk")
    assert raised.after == {
        "reprisal_risk": "high",
        "discreet_messages": True,
        "withdrawal": "afraid",
    }
    # Raised first: the phone hears only that there is news, not that the case is withdrawn.
    (told,) = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == case.grievance.id,
            OutboxMessage.template == "withdrawn",
            OutboxMessage.channel == MessageChannel.SMS,
        )
    ).all()
    assert "withdrawn" not in told.body


def test_an_unknown_reason_is_explained_and_the_case_stays_open(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(f"/case/{case.reference}/withdraw", {"reason": "bored"})

    assert response.status_code == 400
    assert "Choose one of the listed options." in response.text
    db.session.refresh(case.grievance)
    assert case.grievance.state != "withdrawn"


def test_words_too_long_are_explained_and_the_case_stays_open(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(f"/case/{case.reference}/withdraw", {"note": "x" * 2001})

    assert response.status_code == 400
    db.session.refresh(case.grievance)
    assert case.grievance.state != "withdrawn"


# Proof of delivery, as the people see it ---------------------------------------------------


def test_the_question_about_the_remedy_says_proof_exists_without_showing_it(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.implement(track)
    (action,) = track.remedy_actions
    later_files.deliver_with_evidence(
        scenario.handler, action, "Fence removed.", [later_files.Upload("r.pdf", RECEIPT)]
    )
    db.session.commit()
    (check_in,) = scenario.open_check_ins(track)
    opened(visitor, case)

    html = visitor.get(f"/case/{case.reference}/question/{check_in.id}").text

    assert "The team keeps files as proof that this was done." in html
    assert "r.pdf" not in html
    assert "/attachments/" not in html


def test_no_proof_is_mentioned_when_the_team_kept_none(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.implement(track)
    (action,) = track.remedy_actions
    tracks.report_delivered(scenario.handler, action, "Fence removed.")
    db.session.commit()
    (check_in,) = scenario.open_check_ins(track)
    opened(visitor, case)

    html = visitor.get(f"/case/{case.reference}/question/{check_in.id}").text

    assert "proof" not in html
