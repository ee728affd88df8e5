"""Reading a filing from the API's request: what
:class:`remedy.api.grievance_schemas.GrievanceInput` loaded, as the filing use case takes
it (``remedy.proxy.filing.file_for_others``)."""

from __future__ import annotations

from typing import Any

from remedy.filing.grievances import GrievanceForm, PersonDetails
from remedy.models.grievance import Channel
from remedy.proxy.mandates import MandateTerms


def _person(data: dict[str, Any] | None) -> PersonDetails | None:
    if not data:
        return None
    return PersonDetails(
        name=data.get("name"),
        phone=data.get("phone"),
        language=data.get("language"),
        receives_messages=data.get("receives_messages", True),
    )


def grievance_form(data: dict[str, Any]) -> GrievanceForm:
    """The grievance as filed; who filed it is for the use case to say."""
    affected = [_person(item) for item in data.get("affected", [])]
    return GrievanceForm(
        channel=Channel.API,
        language=data["language"],
        description=data["description"],
        location=data.get("location"),
        category=data.get("category"),
        product_user=data.get("product_user"),
        external_reference=data.get("external_reference"),
        harm_date=data.get("harm_date"),
        people_affected=data.get("people_affected", 1),
        reprisal_risk=data["reprisal_risk"],
        identity_withheld=data.get("identity_withheld", False),
        contact_consent=data.get("contact_consent", False),
        contact_channel=Channel(data["contact_channel"]) if data.get("contact_channel") else None,
        complainant=_person(data.get("complainant")),
        affected=[person for person in affected if person is not None],
    )


def mandate_terms(data: dict[str, Any]) -> tuple[MandateTerms | None, bool]:
    """The mandate a proxy files under, if one was given, and whether the proxy receives the
    people's messages."""
    mandate = data.get("mandate")
    if not mandate:
        return None, True
    terms = MandateTerms(
        scopes=frozenset(mandate["scopes"]),
        consent_method=mandate["consent_method"],
        valid_until=mandate["valid_until"],
    )
    return terms, mandate.get("proxy_receives_messages", True)
