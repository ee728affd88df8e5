"""The export pack of a referral: what the receiving body gets, as JSON and printable HTML.

One dictionary is the pack; the HTML (printed or saved as PDF from a browser) and the JSON
are two renderings of it, so they never disagree. Personal data (names, phone numbers, the
description, the place, the team's note) is in it only when the people said yes to sharing
their file with this body, and never a name when they withheld their identity at filing.
Without that yes the pack carries the pseudonyms, the kind of harm and the organisations
involved, and says so. Whoever makes a pack also needs the right to read what it holds
(``shows_identity``, ``shows_contents``). Every pack made is audited.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.i18n import current_language, text_direction
from remedy.core.references import display
from remedy.core.unit_of_work import transactional
from remedy.models.referral import Referral
from remedy.models.types import utcnow


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _notice(personal: bool, consent: bool | None) -> str:
    if personal:
        return _("The people agreed to share their file with you. Keep it confidential.")
    if consent is False:
        return _(
            "The people did not agree to share their file: this pack holds no personal data "
            "(pseudonyms only, description withheld)."
        )
    return _(
        "The people's consent to share their file is not recorded yet: this pack holds no "
        "personal data (pseudonyms only, description withheld)."
    )


def build_pack(
    referral: Referral, shows_identity: bool = True, shows_contents: bool = True
) -> dict[str, Any]:
    """The pack as data. ``shows_*``: what the person making it may read themselves."""
    grievance = referral.grievance
    personal = referral.consent is True
    names = personal and shows_identity and not grievance.identity_withheld
    contents = personal and shows_contents
    people = []
    for link in grievance.people:
        person: dict[str, Any] = {"pseudonym": link.person.pseudonym, "role": link.role.value}
        if names:
            person["name"] = link.person.name
            person["phone"] = link.person.phone
        people.append(person)
    return {
        "referral_id": referral.id,
        "reference": display(grievance.reference),
        "made_at": utcnow().isoformat(),
        "mechanism": {"name": referral.mechanism.name, "kind": referral.mechanism.kind.value},
        "referred_at": _when(referral.created_at),
        "consent": {
            "given": referral.consent,
            "via": referral.consent_via.value if referral.consent_via else None,
            "at": _when(referral.consent_at),
            "shared": referral.shared if personal else None,
        },
        "personal_data": names or contents,
        "notice": _notice(names or contents, referral.consent),
        "case": {
            "category": grievance.category.value if grievance.category else None,
            "received_at": _when(grievance.received_at),
            "harm_date": _when(grievance.harm_date),
            "people_affected": grievance.people_affected,
            "description": grievance.description if contents else None,
            "location": grievance.location if contents else None,
            "note": referral.note if contents else None,
        },
        "people": people,
        "organisations": [
            {"name": track.organisation.name, "involvement": track.kind.value}
            for track in grievance.tracks
        ],
        "updates": [
            {
                "kind": update.kind.value,
                "text": update.text,
                "at": _when(update.created_at),
                "by_partner": update.by_partner,
            }
            for update in referral.updates
        ],
    }


@transactional
def make_pack(
    actor: Actor, referral: Referral, shows_identity: bool = True, shows_contents: bool = True
) -> dict[str, Any]:
    """Build the pack and record who made it, and whether it held personal data."""
    pack = build_pack(referral, shows_identity, shows_contents)
    audit.record(
        actor,
        "referral.pack",
        "referral",
        referral.id,
        after={"personal_data": pack["personal_data"]},
    )
    return pack


def render_pack(pack: dict[str, Any]) -> str:
    """Rendered without the app's page context, so a command renders it as a view does."""
    language = current_language()
    template = current_app.jinja_env.get_template("referrals/pack.html")
    return template.render(pack=pack, language=language, direction=text_direction(language))
