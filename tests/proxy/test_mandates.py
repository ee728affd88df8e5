"""Mandates: for one person or a whole group, for some things, until a day; withdrawn at any
time by the organisation or by the person; consent evidence kept encrypted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from remedy.cases import intake
from remedy.cases.representation import mandate_refusal, valid_mandate
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.models import AuditEvent, ConsentMethod, Grievance, Mandate, Organisation
from remedy.models.mandate import MandateStatus
from remedy.models.outbox_message import OutboxMessage
from remedy.models.types import utcnow
from remedy.proxy.mandates import (
    Evidence,
    attach_evidence,
    evidence_type,
    grant_mandate,
    withdraw_mandate,
    withdraw_mandate_as_person,
)
from remedy.workflows.definition import MandateScope
from tests.proxy.portal import CONSENT_PDF, file_for_others, filed, post_on_page
from tests.support import Account
from tests.workflows.scenarios import Scenario

FOLLOW, ANSWER = MandateScope.FOLLOW, MandateScope.ANSWER_PROPOSALS
NEXT_YEAR = timedelta(days=365)


def grant(
    scenario: Scenario,
    grievance: Grievance,
    person_index: int | None = None,
    scopes: tuple[MandateScope, ...] = tuple(MandateScope),
    receives: bool = True,
) -> Mandate:
    person = grievance.people[person_index].person if person_index is not None else None
    return grant_mandate(
        scenario.proxy,
        scenario.ngo,
        grievance,
        scopes,
        ConsentMethod.WITNESSED_VERBAL,
        utcnow().date() + NEXT_YEAR,
        person,
        receives,
    )


def test_a_mandate_for_one_person_covers_that_person_only(scenario: Scenario) -> None:
    grievance = scenario.file(people=3)
    first, second = grievance.people[0].person, grievance.people[1].person

    grant(scenario, grievance, person_index=0)

    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW, first) is not None
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW, second) is None
    # Acting for the whole grievance needs a mandate from the whole group.
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW) is None


def test_a_group_mandate_covers_everyone_for_what_it_allows(scenario: Scenario) -> None:
    grievance = scenario.file(people=3)

    grant(scenario, grievance, scopes=(FOLLOW,))

    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW) is not None
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW, grievance.people[2].person)
    assert valid_mandate(scenario.ngo.id, grievance, ANSWER) is None
    assert mandate_refusal(scenario.ngo.id, grievance, ANSWER) == (
        "Your organisation's mandate does not allow this."
    )


def test_a_mandate_ends_after_its_last_day(scenario: Scenario) -> None:
    grievance = scenario.file()
    mandate = grant(scenario, grievance)
    mandate.valid_until = utcnow().date() - timedelta(days=1)
    db.session.commit()

    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW) is None
    assert mandate.status_on(utcnow().date()) is MandateStatus.EXPIRED
    refusal = mandate_refusal(scenario.ngo.id, grievance, FOLLOW)
    assert refusal is not None
    assert refusal.startswith("The mandate ended on ")


def test_no_mandate_is_granted_that_has_already_ended_or_allows_nothing(
    scenario: Scenario,
) -> None:
    grievance = scenario.file()
    yesterday = utcnow().date() - timedelta(days=1)
    with pytest.raises(InvalidInput, match="has passed"):
        grant_mandate(
            scenario.proxy, scenario.ngo, grievance, [FOLLOW], ConsentMethod.WRITTEN, yesterday
        )
    with pytest.raises(InvalidInput, match="Choose what the mandate allows"):
        grant(scenario, grievance, scopes=())

    assert db.session.scalars(select(Mandate)).all() == []


def test_a_member_records_mandates_only_for_their_own_organisation(
    scenario: Scenario, other_ngo: Organisation
) -> None:
    grievance = scenario.file()

    with pytest.raises(NotAllowed):
        grant_mandate(
            scenario.proxy,
            other_ngo,
            grievance,
            [FOLLOW],
            ConsentMethod.WRITTEN,
            utcnow().date() + NEXT_YEAR,
        )


def test_a_mandate_names_only_a_person_of_the_case(scenario: Scenario) -> None:
    grievance, stranger_case = scenario.file(), scenario.file()

    with pytest.raises(InvalidInput, match="not one of the people"):
        grant_mandate(
            scenario.proxy,
            scenario.ngo,
            grievance,
            [FOLLOW],
            ConsentMethod.WRITTEN,
            utcnow().date() + NEXT_YEAR,
            stranger_case.people[0].person,
        )


# Withdrawal -----------------------------------------------------------------------------------


def test_the_organisation_withdraws_its_mandate_on_the_case_page(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file()
    mandate = grant(scenario, grievance)
    page = f"/proxy/cases/{grievance.reference}"

    response = post_on_page(portal, page, f"{page}/mandates/{mandate.id}/withdraw")

    assert response.status_code == 302
    db.session.expire_all()
    assert mandate.withdrawn_at is not None
    assert mandate.withdrawn_by == "proxy"
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW) is None
    shown = portal.get(page).get_data(as_text=True)
    assert "Withdrawn: by your organisation, on" in shown
    assert "You cannot act for the people on this case now." in shown


def test_another_organisation_cannot_withdraw_a_mandate(
    other_portal: FlaskClient, other_member: Account, scenario: Scenario
) -> None:
    grievance = scenario.file()
    mandate = grant(scenario, grievance)

    with pytest.raises(NotFound):
        withdraw_mandate(Actor.for_user(other_member.user), mandate)
    response = post_on_page(
        other_portal,
        "/proxy/file",
        f"/proxy/cases/{grievance.reference}/mandates/{mandate.id}/withdraw",
    )

    assert response.status_code == 404
    db.session.expire_all()
    assert mandate.withdrawn_at is None


def test_the_person_withdraws_the_mandates_that_speak_for_them(scenario: Scenario) -> None:
    grievance = scenario.file(people=3)
    first, second = grievance.people[0].person_id, grievance.people[1].person
    theirs = grant(scenario, grievance, person_index=0)
    group = grant(scenario, grievance)
    someone_elses = grant(scenario, grievance, person_index=1)

    ended = withdraw_mandate_as_person(grievance, first)

    assert {mandate.id for mandate in ended} == {theirs.id, group.id}
    assert someone_elses.withdrawn_at is None
    assert {theirs.withdrawn_by, group.withdrawn_by} == {"complainant"}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "mandate.withdraw")
    ).all()
    assert [(e.actor_kind, e.actor_id) for e in events] == [
        ("complainant", grievance.reference)
    ] * 2
    assert withdraw_mandate_as_person(grievance, first) == []
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW, second) is not None


def test_with_reference_and_pin_alone_the_person_ends_every_mandate(scenario: Scenario) -> None:
    grievance = scenario.file(people=2)
    grant(scenario, grievance, person_index=1)
    grant(scenario, grievance)

    ended = withdraw_mandate_as_person(grievance, None)

    assert len(ended) == 2
    assert valid_mandate(scenario.ngo.id, grievance, FOLLOW) is None


def test_only_a_person_of_the_case_withdraws_for_themselves(scenario: Scenario) -> None:
    grievance, other = scenario.file(), scenario.file()
    grant(scenario, grievance)

    with pytest.raises(NotFound):
        withdraw_mandate_as_person(grievance, other.people[0].person_id)


def test_the_people_get_their_messages_again_once_the_mandate_that_took_them_ends(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = filed(file_for_others(portal, recipients="proxy"))
    assert [link.receives_messages for link in grievance.people] == [False, False, False]

    withdraw_mandate_as_person(grievance, None)
    intake.accept(scenario.handler, grievance)

    db.session.expire_all()
    assert [link.receives_messages for link in grievance.people] == [True, True, True]
    accepted = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == "accepted"
        )
    ).all()
    assert sorted(m.address or "web" for m in accepted) == [
        "+254711100101",
        "+254711100102",
        "web",
    ]


# Evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (CONSENT_PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"OggS\x00\x02" + b"\x00" * 20, "audio/ogg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 8, "audio/mp4"),
        (b"#!AMR\n" + b"\x00" * 8, "audio/amr"),
    ],
)
def test_evidence_type_is_read_from_the_content(content: bytes, kind: str) -> None:
    assert evidence_type(content) == kind


@pytest.mark.parametrize(
    "content",
    [b"", b"<html><script>alert(1)</script>", b"MZ\x90\x00", b"%PDF" + b"x" * (10 * 1024 * 1024)],
)
def test_evidence_that_is_empty_too_large_or_of_another_kind_is_refused(content: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        evidence_type(content)

    assert refused.value.field == "evidence"


@given(st.binary(max_size=64))
def test_any_bytes_are_either_a_known_kind_or_refused_clearly(content: bytes) -> None:
    try:
        kind = evidence_type(content)
    except InvalidInput:
        return
    assert kind.split("/")[0] in {"application", "image", "audio"}


def test_evidence_is_stored_encrypted_with_the_mandate(scenario: Scenario) -> None:
    grievance = scenario.file()
    mandate = grant(scenario, grievance)

    attach_evidence(OPERATOR, mandate, Evidence("consent-form.pdf", CONSENT_PDF))

    stored = db.session.execute(
        text("SELECT content, filename FROM attachments WHERE id = :id"),
        {"id": mandate.evidence_attachment_id},
    ).one()
    assert CONSENT_PDF not in bytes(stored.content)
    assert b"consent-form" not in bytes(stored.filename)
