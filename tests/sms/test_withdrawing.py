"""WITHDRAW <reference> <PIN> by SMS, in every language: the people stop an organisation
acting for them. One organisation: at once; several: the reply lists them and the number
chosen ends that one. The PIN is checked like STATUS and never kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from remedy.access.case_access import NOT_FOUND_MESSAGE, WAY_IN_MESSAGE
from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models import ConsentMethod, Grievance, Mandate, Organisation
from remedy.models.organisation import OrganisationKind
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope
from tests.proxy.portal import withdrawals
from tests.sms.conftest import Filed, Phone, file_by_phone, rendered
from tests.workflows.scenarios import Scenario

WORDS = {"en": "WITHDRAW", "fr": "RETIRER", "es": "RETIRAR", "sw": "ONDOA", "ar": "سحب"}


@pytest.fixture
def haki(scenario: Scenario) -> Organisation:
    ngo = create_organisation(OPERATOR, "Haki Watch", OrganisationKind.NGO, "KE")
    return vet_organisation(OPERATOR, ngo, "Registration certificate seen.")


def mandate_for(organisation: Organisation, grievance: Grievance) -> None:
    grant_mandate(
        OPERATOR,
        organisation,
        grievance,
        tuple(MandateScope),
        ConsentMethod.WRITTEN,
        utcnow().date() + timedelta(days=365),
    )
    db.session.commit()


def in_force(grievance: Grievance) -> set[str]:
    db.session.expire_all()
    return {
        mandate.organisation.name
        for mandate in db.session.scalars(
            select(Mandate).where(Mandate.grievance_id == grievance.id)
        )
        if mandate.is_valid_on(utcnow().date())
    }


def withdraw(phone: Phone, filed: Filed, language: str = "en", pin: str | None = None) -> str:
    return phone.send(f"{WORDS[language]} {display(filed.reference)} {pin or filed.pin}")


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_people_withdraw_the_one_organisation_acting_for_them(
    phone: Phone, scenario: Scenario, language: str
) -> None:
    filed = file_by_phone(phone, language)
    mandate_for(scenario.ngo, filed.grievance)

    reply = withdraw(phone, filed, language)

    assert reply == rendered(
        sms_texts.MANDATE_WITHDRAWN,
        language,
        organisation="Friends of the River",
        reference=display(filed.reference),
    )
    assert in_force(filed.grievance) == set()
    assert withdrawals() == [("complainant", "sms")]


def test_the_pin_is_not_kept_in_the_message_record(phone: Phone, scenario: Scenario) -> None:
    filed = file_by_phone(phone)
    mandate_for(scenario.ngo, filed.grievance)

    withdraw(phone, filed)

    stored = phone.inbound()[-1].body or ""
    assert filed.pin not in stored
    assert stored == f"WITHDRAW {filed.reference} ******"


def test_with_several_organisations_the_people_choose_which(
    phone: Phone, scenario: Scenario, haki: Organisation
) -> None:
    filed = file_by_phone(phone)
    mandate_for(scenario.ngo, filed.grievance)
    mandate_for(haki, filed.grievance)

    menu = withdraw(phone, filed)

    assert menu == rendered(
        sms_texts.WHICH_MANDATE, "en", choices="1 Friends of the River, 2 Haki Watch"
    )
    assert in_force(filed.grievance) == {"Friends of the River", "Haki Watch"}

    reply = phone.send("2")

    assert reply == rendered(
        sms_texts.MANDATE_WITHDRAWN,
        "en",
        organisation="Haki Watch",
        reference=display(filed.reference),
    )
    assert in_force(filed.grievance) == {"Friends of the River"}


def test_a_wrong_pin_withdraws_nothing_and_counts_against_the_lock(
    phone: Phone, scenario: Scenario
) -> None:
    filed = file_by_phone(phone)
    mandate_for(scenario.ngo, filed.grievance)
    wrong = "000000" if filed.pin != "000000" else "111111"

    reply = withdraw(phone, filed, pin=wrong)

    assert reply == " ".join(rendered(text, "en") for text in (NOT_FOUND_MESSAGE, WAY_IN_MESSAGE))
    assert in_force(filed.grievance) == {"Friends of the River"}
    lockout = db.session.get(PinLockout, filed.reference)
    assert lockout is not None
    assert lockout.failures == 1


def test_with_no_organisation_acting_the_reply_says_so(phone: Phone) -> None:
    filed = file_by_phone(phone)

    reply = withdraw(phone, filed)

    assert reply == rendered(sms_texts.NO_MANDATE, "en", reference=display(filed.reference))


@pytest.mark.parametrize("body", ["WITHDRAW", "WITHDRAW 1234"])
def test_the_keyword_without_reference_and_pin_says_how(phone: Phone, body: str) -> None:
    assert phone.send(body) == rendered(sms_texts.WITHDRAW_HOW, "en", withdraw="WITHDRAW")


def test_someone_else_with_the_pin_speaks_for_the_case(
    phone: Phone, new_phone: Any, scenario: Scenario
) -> None:
    filed = file_by_phone(phone)
    mandate_for(scenario.ngo, filed.grievance)

    withdraw(new_phone(), filed)

    assert in_force(filed.grievance) == set()
