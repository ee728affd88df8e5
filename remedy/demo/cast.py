"""The demo's cast: its organisations, accounts, referral mechanisms and cases, as data.

Everything here is invented (see :mod:`remedy.demo.seed`); the cases, long as they are,
are told in one module per kind of story.
"""

from __future__ import annotations

from remedy.demo.cause_cases import CAUSE_CASES
from remedy.demo.contested_cases import CONTESTED_CASES
from remedy.demo.explained_cases import EXPLANATION_CASES
from remedy.demo.intake_cases import INTAKE_CASES
from remedy.demo.linked_cases import LINKED_CASES
from remedy.demo.proceedings_cases import PROCEEDINGS_CASES
from remedy.demo.specs import AccountSpec, CaseSpec, MechanismSpec, OrganisationSpec
from remedy.models.organisation import OrganisationKind
from remedy.models.referral import MechanismKind
from remedy.models.user import Role

ORGANISATIONS = (
    OrganisationSpec(
        "kilima", "Kilima Gold Mines Ltd", OrganisationKind.COMPANY, "KE", served=True
    ),
    OrganisationSpec("simba", "Simba Guarding Services", OrganisationKind.BUSINESS_PARTNER, "KE"),
    OrganisationSpec(
        "northway", "Northway Apparel Ltd", OrganisationKind.COMPANY, "GB", served=True
    ),
    OrganisationSpec("atlas", "Atlas Confection SARL", OrganisationKind.BUSINESS_PARTNER, "MA"),
    OrganisationSpec(
        "verdeal", "Verdeal Fresh Produce S.A.S.", OrganisationKind.COMPANY, "CO", served=True
    ),
    OrganisationSpec("almendros", "Finca Los Almendros", OrganisationKind.BUSINESS_PARTNER, "CO"),
    OrganisationSpec("ngo", "Sauti ya Jamii Community Network", OrganisationKind.NGO, "KE"),
    OrganisationSpec("panel", "Independent Oversight Panel", OrganisationKind.OVERSIGHT_BODY, None),
    OrganisationSpec(
        "ke_labour_office", "State Department for Labour", OrganisationKind.OVERSIGHT_BODY, "KE"
    ),
)

ACCOUNTS = (
    AccountSpec("admin", "admin@remedy.example", Role.ADMIN, "Demo administrator"),
    AccountSpec("supervisor", "supervisor@remedy.example", Role.SUPERVISOR, "Grace Wanjiru"),
    AccountSpec("supervisor2", "supervisor2@remedy.example", Role.SUPERVISOR, "Omar Haddad"),
    AccountSpec("handler", "handler@remedy.example", Role.HANDLER, "Samuel Otieno"),
    AccountSpec("handler2", "handler2@remedy.example", Role.HANDLER, "Lucía Mendoza"),
    AccountSpec(
        "protection", "protection@remedy.example", Role.PROTECTION_OFFICER, "Aisha Mohamed"
    ),
    AccountSpec("auditor", "auditor@remedy.example", Role.AUDITOR, "Pierre Lambert"),
    AccountSpec(
        "kilima_team",
        "community@kilima-gold.example",
        Role.HANDLER,
        "Kilima community relations",
        "kilima",
    ),
    AccountSpec(
        "simba_team", "compliance@simba-guarding.example", Role.HANDLER, "Simba compliance", "simba"
    ),
    AccountSpec(
        "proxy",
        "field@sauti-ya-jamii.example",
        Role.PROXY_MEMBER,
        "Sauti ya Jamii field team",
        "ngo",
    ),
    # The labour inspectorate answers the referrals made to it through the API.
    AccountSpec(
        "inspectorate",
        "referrals@labour.example",
        Role.REFERRAL_PARTNER,
        "Labour inspectorate referrals desk",
        "ke_labour_office",
    ),
    # The panel's reviewer reads de-identified timelines and the audit chain's state.
    AccountSpec(
        "oversight",
        "reviewer@oversight-panel.example",
        Role.OVERSIGHT,
        "Oversight panel reviewer",
        "panel",
    ),
)

MECHANISMS = (
    MechanismSpec(
        "ke_labour",
        "KE",
        MechanismKind.LABOUR_INSPECTORATE,
        "Labour inspectorate, State Department for Labour",
        organisation="ke_labour_office",
    ),
    MechanismSpec(
        "ke_nhri",
        "KE",
        MechanismKind.NATIONAL_HUMAN_RIGHTS_INSTITUTION,
        "Kenya National Commission on Human Rights",
    ),
    MechanismSpec("ke_land_court", "KE", MechanismKind.COURT, "Environment and Land Court"),
    MechanismSpec(
        "ke_simba",
        "KE",
        MechanismKind.PARTNER_MECHANISM,
        "Simba Guarding Services hotline",
        "hotline@simba-guarding.example",
    ),
    MechanismSpec(
        "gb_ncp",
        "GB",
        MechanismKind.OECD_NATIONAL_CONTACT_POINT,
        "UK National Contact Point for the OECD Guidelines",
    ),
    MechanismSpec(
        "co_labour",
        "CO",
        MechanismKind.LABOUR_INSPECTORATE,
        "Ministerio del Trabajo: inspección del trabajo",
    ),
    MechanismSpec(
        "co_nhri", "CO", MechanismKind.NATIONAL_HUMAN_RIGHTS_INSTITUTION, "Defensoría del Pueblo"
    ),
    MechanismSpec(
        "co_ncp",
        "CO",
        MechanismKind.OECD_NATIONAL_CONTACT_POINT,
        "Punto Nacional de Contacto de Colombia (OCDE)",
    ),
    MechanismSpec("co_court", "CO", MechanismKind.COURT, "Juzgados laborales del circuito"),
    MechanismSpec("ma_labour", "MA", MechanismKind.LABOUR_INSPECTORATE, "Inspection du travail"),
    MechanismSpec(
        "ma_nhri",
        "MA",
        MechanismKind.NATIONAL_HUMAN_RIGHTS_INSTITUTION,
        "Conseil national des droits de l'Homme",
    ),
    MechanismSpec(
        "ma_ncp",
        "MA",
        MechanismKind.OECD_NATIONAL_CONTACT_POINT,
        "Point de contact national marocain (OCDE)",
    ),
    MechanismSpec("ma_court", "MA", MechanismKind.COURT, "Tribunal de première instance de Tanger"),
)

# In the order they are seeded: intake first, then the tracks of each kind.
CASES: tuple[CaseSpec, ...] = (
    *INTAKE_CASES,
    *CAUSE_CASES,
    *LINKED_CASES,
    *CONTESTED_CASES,
    *EXPLANATION_CASES,
    *PROCEEDINGS_CASES,
)
