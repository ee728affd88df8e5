"""What a signed-in person may do: staff roles, and members of proxy organisations."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    HANDLER = "handler"
    PROTECTION_OFFICER = "protection_officer"
    AUDITOR = "auditor"
    PROXY_MEMBER = "proxy_member"
    # A body complainants are referred to (an inspectorate, an NHRI): through the API only,
    # it reads and answers the referrals made to its mechanism, and nothing else.
    REFERRAL_PARTNER = "referral_partner"
    # A member of an oversight body (OrganisationKind.OVERSIGHT_BODY): reads de-identified
    # case timelines and the audit chain's state on its own console page, and nothing else.
    OVERSIGHT = "oversight"

    @property
    def label(self) -> str:
        return str(ROLE_TITLES[self])

    @property
    def is_staff(self) -> bool:
        return self not in (Role.PROXY_MEMBER, Role.REFERRAL_PARTNER, Role.OVERSIGHT)


ROLE_TITLES = {
    Role.ADMIN: _l("Administrator"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.HANDLER: _l("Handler"),
    Role.PROTECTION_OFFICER: _l("Protection officer"),
    Role.AUDITOR: _l("Auditor"),
    Role.PROXY_MEMBER: _l("Proxy member"),
    Role.REFERRAL_PARTNER: _l("Referral partner"),
    Role.OVERSIGHT: _l("Oversight"),
}
