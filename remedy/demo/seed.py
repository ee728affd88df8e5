"""Demo data: a joint mechanism with realistic, entirely fictional cases in every state.

``seed_demo()`` fills an empty database through the services only, as people
would: organisations, one account per role, a directory of referral
mechanisms, and grievances brought to every state of every workflow by the
same steps the console, the channels and the check-ins take (nothing sets a
state). Used by ``flask --app wsgi demo seed`` and by tests.

Everything here is demo data. Companies, people and cases are invented; the
referral directory names real kinds of public bodies so that referrals read
naturally, without contact details. Phone numbers come from the range Ofcom
reserves for drama (+44 7700 900xxx), so no real phone ever receives a demo
message. E-mail addresses use the reserved ``.example`` domain.

One compromise with time: a supervisor may close a track without the people's
confirmation only after the check-in window (two weeks). The demo cannot wait,
so :func:`_let_check_in_window_pass` moves that window's end into the past, as
the clock would have; the closing itself goes through the service.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import exists, select

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.cases import check_ins, intake, tracks
from remedy.cases.referrals import add_mechanism
from remedy.core.actors import OPERATOR, SYSTEM, Actor
from remedy.core.errors import ServiceError
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models.check_in import Answer, CheckIn
from remedy.models.grievance import Category, Channel, Grievance, ReprisalRisk
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.leverage_action import LeverageType
from remedy.models.mandate import ConsentMethod
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.referral import MechanismKind, ReferralMechanism
from remedy.models.remedy_action import ActionOwner, RemedyType
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope

DEMO_PHONE_PREFIX = "+447700900"  # Ofcom's drama range: 900000 to 900999.
Progress = Callable[[str], None]


class DemoRefused(ServiceError):
    """The database is not empty enough for demo data."""


# What the demo creates ----------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: OrganisationKind
    country: str | None


ORGANISATIONS = (
    OrganisationSpec("kilima", "Kilima Gold Mines Ltd", OrganisationKind.COMPANY, "KE"),
    OrganisationSpec("simba", "Simba Guarding Services", OrganisationKind.BUSINESS_PARTNER, "KE"),
    OrganisationSpec("northway", "Northway Apparel Ltd", OrganisationKind.COMPANY, "GB"),
    OrganisationSpec("atlas", "Atlas Confection SARL", OrganisationKind.BUSINESS_PARTNER, "MA"),
    OrganisationSpec("verdeal", "Verdeal Fresh Produce S.A.S.", OrganisationKind.COMPANY, "CO"),
    OrganisationSpec("almendros", "Finca Los Almendros", OrganisationKind.BUSINESS_PARTNER, "CO"),
    OrganisationSpec("ngo", "Sauti ya Jamii Community Network", OrganisationKind.NGO, "KE"),
    OrganisationSpec("panel", "Independent Oversight Panel", OrganisationKind.OVERSIGHT_BODY, None),
)


@dataclass(frozen=True)
class AccountSpec:
    key: str
    email: str
    role: Role
    display_name: str
    organisation: str | None = None


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
)


@dataclass(frozen=True)
class MechanismSpec:
    key: str
    country: str
    kind: MechanismKind
    name: str
    contact: str | None = None


MECHANISMS = (
    MechanismSpec(
        "ke_labour",
        "KE",
        MechanismKind.LABOUR_INSPECTORATE,
        "Labour inspectorate, State Department for Labour",
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


@dataclass(frozen=True)
class Action:
    type: RemedyType
    description: str
    owner: ActionOwner = ActionOwner.THIS_ORGANISATION
    financial: bool = False
    due_in_days: int = 60

    def plan(self) -> tracks.RemedyActionPlan:
        due = utcnow().date() + timedelta(days=self.due_in_days)
        return tracks.RemedyActionPlan(self.type, self.description, self.owner, due, self.financial)


@dataclass(frozen=True)
class Leverage:
    type: LeverageType
    target: str
    description: str

    def plan(self) -> tracks.LeveragePlan:
        return tracks.LeveragePlan(self.type, self.target, self.description)


@dataclass(frozen=True)
class Story:
    """The words said along a track's path; the affected people's in their own language."""

    evidence: str = "Signed delivery record and photographs, checked on site by the handler."
    decline: str = "This is not enough."
    refer: str = "Another body can decide what this mechanism cannot."
    refer_to: str = "ke_nhri"
    escalate: str = "No answer to two written requests in 60 days."
    impact_assessment: str = ""
    gap: str = "Not everything promised arrived."
    close: str = "No answer after three reminders by SMS and a visit."
    # A first delivery the people dispute, and the action added to put it right.
    dispute: str | None = None
    redo: Action | None = None


@dataclass(frozen=True)
class TrackSpec:
    organisation: str
    kind: TrackKind
    state: str
    rationale: str
    actions: tuple[Action, ...] = ()
    leverage: tuple[Leverage, ...] = ()
    story: Story = field(default_factory=Story)


@dataclass(frozen=True)
class CaseSpec:
    title: str  # one line in English for the operator
    channel: Channel
    language: str
    category: Category
    location: str
    description: str
    people: tuple[str | None, ...]
    state: str  # the intake state the grievance ends in
    tracks: tuple[TrackSpec, ...] = ()
    people_affected: int | None = None
    reprisal_risk: ReprisalRisk = ReprisalRisk.NONE
    identity_withheld: bool = False
    contact_consent: bool = True
    via_proxy: bool = False
    harm_days_ago: int = 30
    severity: tuple[int, int, int] = (2, 2, 1)
    question: str = ""  # request_info
    decision: str = ""  # the reason for reject or find_no_involvement
    refer_to: str = ""  # where reject or find_no_involvement refers
    appeal: str = ""
    review: str = ""  # the reason a supervisor upholds the appealed decision


C, K, L = TrackKind.CAUSE, TrackKind.CONTRIBUTE, TrackKind.DIRECTLY_LINKED
R = RemedyType
PARTNER = ActionOwner.BUSINESS_PARTNER

# CaseSpec(title, channel, language, category, location, description, people, state, ...)
CASES: tuple[CaseSpec, ...] = (
    # Intake ------------------------------------------------------------------------
    CaseSpec(
        "Night blasting cracks houses in Ilala",
        Channel.SMS,
        "sw",
        Category.COMMUNITY,
        "Kijiji cha Ilala, karibu na mgodi wa Kilima",
        "Tangu mwezi uliopita milipuko katika mgodi wa Kilima inafanyika hata usiku. Ukuta wa "
        "nyumba yetu umepasuka na watoto hawalali. Tunaomba mtu aje aone.",
        ("Mary Achieng",),
        "screening",
        harm_days_ago=12,
    ),
    CaseSpec(
        "Line supervisor harasses women workers (voice, identity withheld)",
        Channel.VOICE,
        "ar",
        Category.DISCRIMINATION,
        "طنجة، المنطقة الصناعية",
        "رئيس الخط في الطابق الثاني يصرخ على العاملات ويلمسهن. كل من تشتكي تنقل إلى العمل "
        "الليلي. لا أريد أن يعرف أحد اسمي.",
        (None,),
        "screening",
        reprisal_risk=ReprisalRisk.HIGH,
        identity_withheld=True,
        harm_days_ago=5,
    ),
    CaseSpec(
        "Crop-spraying plane flies over the village school",
        Channel.WHATSAPP,
        "es",
        Category.HEALTH_AND_SAFETY,
        "Vereda Nueva Colonia, Turbo",
        "La avioneta fumiga la plantación de banano cuando los niños están en la escuela de la "
        "vereda. Varios niños tuvieron vómito y dolor de cabeza.",
        ("Luz Marina Restrepo",),
        "awaiting_complainant",
        harm_days_ago=9,
        question="¿En qué fechas pasó la avioneta y sobre qué finca fumigaba? ¿Los niños fueron "
        "atendidos en un puesto de salud?",
    ),
    CaseSpec(
        "Six union officers dismissed after forming a branch",
        Channel.WEB,
        "fr",
        Category.LABOUR,
        "Atelier de finition, zone franche de Tanger",
        "Nous étions 38 ouvrières à l'atelier de finition. Après la création de notre section "
        "syndicale en mars, la direction a licencié les six membres du bureau sans motif écrit.",
        ("Khadija Benali", "Naima Ouahbi", "Samira Tazi"),
        "assessment",
        people_affected=38,
        reprisal_risk=ReprisalRisk.LOW,
        harm_days_ago=40,
    ),
    CaseSpec(
        "Family land sold by a neighbour (not admissible, referred to the land court)",
        Channel.SMS,
        "en",
        Category.LAND,
        "Shinyalu, Kakamega County",
        "My neighbour sold part of my family land to a man from town while I was away. The "
        "chief says I should complain here because the mine is near.",
        ("Joseph Wekesa",),
        "not_admissible",
        harm_days_ago=200,
        decision="A land sale between private persons; neither Kilima Gold Mines nor its "
        "contractors took part in it.",
        refer_to="ke_land_court",
    ),
    CaseSpec(
        "Unpaid wages at a farm said not to supply Verdeal (appealed)",
        Channel.API,
        "es",
        Category.LABOUR,
        "Finca El Porvenir, Apartadó",
        "Trabajé cuatro meses como cortero en la finca El Porvenir y no me pagaron las dos "
        "últimas quincenas.",
        ("Jhon Fredy Mosquera",),
        "under_review",
        harm_days_ago=60,
        decision="Finca El Porvenir is not in Verdeal Fresh Produce's supplier register.",
        refer_to="co_labour",
        appeal="La finca El Porvenir sí vende a Verdeal: los camiones con el logo de Verdeal "
        "recogen la fruta todos los martes.",
    ),
    CaseSpec(
        "Unpaid overtime at a factory that does not supply Northway (appeal upheld)",
        Channel.WEB,
        "fr",
        Category.LABOUR,
        "Textiles du Détroit, Tétouan",
        "L'usine Textiles du Détroit ne paie pas les heures supplémentaires depuis janvier. On "
        "travaille jusqu'à 22 heures pendant les commandes d'été.",
        ("Hafsa Idrissi",),
        "no_involvement",
        harm_days_ago=90,
        decision="Northway Apparel has placed no order with Textiles du Détroit since 2019 "
        "(purchase records checked).",
        refer_to="ma_labour",
        appeal="Il y a des étiquettes Northway cousues dans cette usine.",
        review="The labels were counterfeit: Northway's licensee confirmed it has no order "
        "with this factory.",
    ),
    CaseSpec(
        "Guards beat a young man at the gate; withdrawn out of fear",
        Channel.SMS,
        "sw",
        Category.SECURITY_FORCES,
        "Lango kuu la mgodi wa Kilima",
        "Walinzi wa mgodi walimpiga kaka yangu usiku wakisema ni mwizi. Hakuiba kitu.",
        (None,),
        "withdrawn",
        reprisal_risk=ReprisalRisk.HIGH,
        identity_withheld=True,
        harm_days_ago=15,
    ),
    # Cause ---------------------------------------------------------------------------
    CaseSpec(
        "Tailings overflow turns the Isiukhu river brown",
        Channel.SMS,
        "sw",
        Category.ENVIRONMENT,
        "Mto Isiukhu, chini ya bwawa la taka",
        "Maji ya mto Isiukhu yamebadilika rangi tangu bwawa la taka la mgodi lilipovuja. Ng'ombe "
        "wawili wamekufa na sasa tunanunua maji ya kunywa.",
        ("Wanjiku Kamau", "Otieno Ouma", "Esther Nafula", "Kiprop Cheruiyot"),
        "in_remedy",
        people_affected=120,
        severity=(3, 3, 2),
        tracks=(
            TrackSpec(
                "kilima",
                C,
                "planning",
                "Tailings from Kilima's storage facility reached the river after the "
                "April overflow (site inspection, 12 water samples).",
            ),
        ),
    ),
    CaseSpec(
        "Guards beat artisanal miners at the perimeter (filed by an NGO)",
        Channel.PROXY,
        "en",
        Category.SECURITY_FORCES,
        "Northern perimeter, Kilima concession",
        "On the night of 3 May, Simba guards caught five artisanal miners near the old pit, "
        "beat them with batons and kept them in the guard house until morning. Two needed "
        "hospital treatment. The miners fear being named.",
        ("Peter Shikuku", "Dennis Amutala", "Brian Lukorito"),
        "in_remedy",
        people_affected=5,
        reprisal_risk=ReprisalRisk.HIGH,
        identity_withheld=True,
        via_proxy=True,
        severity=(3, 2, 2),
        tracks=(
            TrackSpec(
                "simba",
                C,
                "proposed",
                "Simba guards used force beyond any need and detained people.",
                actions=(
                    Action(R.APOLOGY, "Written apology read at a meeting the miners choose."),
                    Action(
                        R.COMPENSATION,
                        "Pay hospital costs and 30 days of lost income.",
                        financial=True,
                    ),
                    Action(R.SANCTION, "Suspend the four guards pending a disciplinary hearing."),
                    Action(
                        R.NON_REPETITION,
                        "Train every guard on the Voluntary Principles "
                        "on Security and Human Rights; no detention on site.",
                    ),
                ),
            ),
            TrackSpec(
                "kilima",
                K,
                "planning",
                "Kilima ordered night sweeps and its security contract sets no rules on "
                "the use of force.",
            ),
        ),
    ),
    CaseSpec(
        "Stockpile fence blocks the footpath to the well",
        Channel.SMS,
        "en",
        Category.LAND,
        "Mukhonje village, east of the stockpile",
        "The new fence around the mine's stockpile blocks the footpath our children use to "
        "reach the well and the school. They now walk one hour around.",
        ("Rose Wafula",),
        "in_remedy",
        people_affected=60,
        tracks=(
            TrackSpec(
                "kilima",
                C,
                "dialogue",
                "Kilima built the fence across a public footpath.",
                actions=(Action(R.CESSATION, "Open a gate in the fence from 6:00 to 19:00."),),
                story=Story(
                    decline="A gate that closes at night is not enough: women fetch "
                    "water before six."
                ),
            ),
        ),
    ),
    CaseSpec(
        "Unpaid overtime during the summer peak (API, from a worker-voice app)",
        Channel.API,
        "fr",
        Category.LABOUR,
        "Atlas Confection, zone franche de Tanger",
        "Pendant les commandes d'été, nous avons travaillé 60 heures par semaine. Les heures "
        "au-delà de 44 n'ont jamais été payées.",
        ("Fatima Zahra El Amrani", "Youssef Alaoui"),
        "in_remedy",
        people_affected=212,
        severity=(3, 3, 1),
        tracks=(
            TrackSpec(
                "atlas",
                C,
                "implementing",
                "Atlas set the hours and did not pay the overtime (time sheets reviewed).",
                actions=(
                    Action(
                        R.COMPENSATION,
                        "Pay the unpaid overtime for May to August with the legal premium.",
                        financial=True,
                    ),
                    Action(R.NON_REPETITION, "Electronic time records, shown on every pay slip."),
                ),
            ),
            TrackSpec(
                "northway",
                K,
                "proposed",
                "Northway moved delivery dates forward by three weeks after orders were "
                "placed, which pushed the hours up.",
                actions=(
                    Action(
                        R.COMPENSATION,
                        "Fund 40% of the overtime back pay.",
                        owner=ActionOwner.SHARED,
                        financial=True,
                    ),
                    Action(R.NON_REPETITION, "Freeze order dates six weeks before shipment."),
                ),
                leverage=(
                    Leverage(
                        LeverageType.CONTRACTUAL_DEMAND,
                        "Atlas Confection SARL",
                        "Make paid overtime a condition of the next season's orders.",
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Blasting cracked houses; repairs disputed once",
        Channel.SMS,
        "sw",
        Category.COMMUNITY,
        "Kijiji cha Shirere",
        "Milipuko ya mgodi imepasua kuta za nyumba tatu na paa la nyumba moja linavuja.",
        ("Fatuma Hassan", "Amina Abdalla", "Daniel Mukhwana"),
        "in_remedy",
        people_affected=14,
        tracks=(
            TrackSpec(
                "kilima",
                C,
                "verifying",
                "Vibration monitors recorded blasts above the permit's limit.",
                actions=(
                    Action(R.RESTITUTION, "Repair the walls of the three houses."),
                    Action(R.NON_REPETITION, "Smaller charges; no blasting after 17:00."),
                ),
                story=Story(
                    dispute="Paa bado linavuja mvua ikinyesha.",
                    redo=Action(R.RESTITUTION, "Replace the leaking roof sheets."),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Dust from the haul road; remedied",
        Channel.WEB,
        "en",
        Category.HEALTH_AND_SAFETY,
        "Haul road, Lubao market",
        "Since the trucks started using the road past Lubao market, dust covers the food we "
        "sell and many children cough at night.",
        ("Grace Imbuga", "Ali Juma"),
        "resolved",
        people_affected=80,
        tracks=(
            TrackSpec(
                "kilima",
                C,
                "remedied",
                "Kilima's ore trucks raise the dust.",
                actions=(
                    Action(R.CESSATION, "Water the haul road three times a day."),
                    Action(
                        R.REHABILITATION,
                        "Free check-ups at the Lubao clinic for children who cough.",
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Pesticide exposure of farm workers; partly remedied",
        Channel.WHATSAPP,
        "es",
        Category.HEALTH_AND_SAFETY,
        "Finca Los Almendros, Carepa",
        "Nos mandan a los lotes justo después de fumigar, sin guantes ni tapabocas. Tres "
        "compañeros tienen manchas en la piel.",
        ("Yuliana Palacios", "Carmen Rosa Cuesta", "Wilmer Asprilla"),
        "resolved",
        people_affected=45,
        tracks=(
            TrackSpec(
                "almendros",
                C,
                "partly_remedied",
                "The farm ignored re-entry times after spraying.",
                actions=(
                    Action(R.REHABILITATION, "Medical check-ups with a dermatologist."),
                    Action(
                        R.NON_REPETITION,
                        "Protective equipment and 24-hour re-entry signs in every lot.",
                    ),
                ),
                story=Story(
                    gap="El equipo de protección solo se lo dieron a los de "
                    "contrato fijo, no a los temporales."
                ),
            ),
            TrackSpec(
                "verdeal",
                L,
                "remedied",
                "Verdeal buys the farm's whole banana harvest.",
                actions=(
                    Action(
                        R.NON_REPETITION,
                        "Add re-entry rules to the farm's supply agreement, checked by an auditor.",
                        owner=PARTNER,
                    ),
                ),
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Finca Los Almendros",
                        "Raise the exposure at the quarterly supplier meeting.",
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Maize destroyed by a new access road; closed without confirmation",
        Channel.VOICE,
        "sw",
        Category.LAND,
        "Shamba za Ikolomani",
        "Barabara mpya ya mgodi imepita katikati ya shamba letu la mahindi bila ruhusa.",
        ("Beatrice Nekesa", "Moses Khaemba"),
        "resolved",
        tracks=(
            TrackSpec(
                "kilima",
                C,
                "unconfirmed",
                "Kilima's contractor graded the road through the fields.",
                actions=(
                    Action(
                        R.COMPENSATION,
                        "Pay for two seasons of maize at county market prices.",
                        financial=True,
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "First month's wages kept as a deposit; referred, relationship ended",
        Channel.WEB,
        "ar",
        Category.LABOUR,
        "مصنع أطلس، طنجة",
        "الشركة تحتفظ بأجرة الشهر الأول لكل عاملة جديدة وتقول إنها ضمانة. من تترك العمل لا "
        "تسترجعها.",
        ("نعيمة الإدريسي",),
        "resolved",
        people_affected=150,
        severity=(3, 3, 2),
        tracks=(
            TrackSpec(
                "atlas",
                C,
                "referred",
                "Atlas keeps the deposits.",
                actions=(Action(R.RESTITUTION, "Return deposits to workers who ask in writing."),),
                story=Story(
                    decline="يجب أن ترجع الضمانة لكل العاملات دون طلب مكتوب.",
                    refer="Atlas will not return deposits unasked; the labour "
                    "inspectorate can order it.",
                    refer_to="ma_labour",
                ),
            ),
            TrackSpec(
                "northway",
                L,
                "relationship_ended",
                "Atlas makes Northway's jeans.",
                leverage=(
                    Leverage(
                        LeverageType.CONDITIONS,
                        "Atlas Confection SARL",
                        "Orders conditional on returning every deposit.",
                    ),
                ),
                story=Story(
                    impact_assessment="Orders phased out over six months; Northway "
                    "pays severance top-ups for the 40 workers on its lines "
                    "and helps them apply to two other suppliers.",
                    escalate="Atlas refused the conditions twice.",
                ),
            ),
        ),
    ),
    CaseSpec(
        "Guards take money from artisanal miners; withdrawn",
        Channel.SMS,
        "sw",
        Category.SECURITY_FORCES,
        "Shimo la zamani, mgodi wa Kilima",
        "Walinzi wanachukua shilingi mia tano kwa kila mchimbaji mdogo ili kumruhusu kuingia "
        "kwenye shimo la zamani.",
        (None,),
        "withdrawn",
        reprisal_risk=ReprisalRisk.HIGH,
        identity_withheld=True,
        tracks=(
            TrackSpec(
                "simba",
                C,
                "withdrawn",
                "Simba guards collect the payments.",
                actions=(Action(R.SANCTION, "Dismiss the guards who took payments."),),
            ),
            TrackSpec("kilima", K, "withdrawn", "Kilima tolerates access to the old pit."),
        ),
    ),
    CaseSpec(
        "Stream diverted for irrigation; withdrawn after a local agreement",
        Channel.WHATSAPP,
        "es",
        Category.ENVIRONMENT,
        "Quebrada La Arenosa, Chigorodó",
        "La finca desvió la quebrada para regar y nos quedamos sin agua para los cultivos.",
        ("Ana Lucía Mena",),
        "withdrawn",
        tracks=(TrackSpec("verdeal", L, "withdrawn", "Verdeal buys from the farm upstream."),),
    ),
    # Contribute and directly linked -------------------------------------------------
    CaseSpec(
        "Guards and police evict artisanal miners",
        Channel.SMS,
        "sw",
        Category.SECURITY_FORCES,
        "Eneo la wachimbaji wadogo, Rosterman",
        "Walinzi wa Simba pamoja na polisi walituondoa kwenye eneo la uchimbaji na kuchoma "
        "vibanda vyetu na vifaa.",
        ("Hassan Omondi", "Lilian Atieno"),
        "in_remedy",
        people_affected=30,
        reprisal_risk=ReprisalRisk.LOW,
        severity=(3, 2, 2),
        tracks=(
            TrackSpec(
                "simba",
                K,
                "dialogue",
                "Simba guards joined the police operation and burned the sheds.",
                actions=(
                    Action(
                        R.COMPENSATION, "Replace the tools and pay for the sheds.", financial=True
                    ),
                ),
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "County police command",
                        "Ask for the operation's orders and a joint review.",
                    ),
                ),
                story=Story(decline="Tunataka pia mahali pa kufanyia kazi, si pesa tu."),
            ),
            TrackSpec(
                "kilima",
                L,
                "engaging",
                "Simba guards the mine under contract with Kilima.",
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Simba Guarding Services",
                        "Raise the eviction with Simba's managing director.",
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Recruitment fees charged by a labour agency",
        Channel.WEB,
        "fr",
        Category.LABOUR,
        "Atlas Confection, Tanger",
        "L'agence Tanger Intérim nous a fait payer 1 500 dirhams pour être embauchées chez "
        "Atlas. Ce montant est retenu sur nos trois premiers salaires.",
        ("Salma Berrada", "Imane Chraibi"),
        "in_remedy",
        people_affected=64,
        tracks=(
            TrackSpec(
                "atlas",
                K,
                "implementing",
                "Atlas hired through the agency without checking its fees.",
                actions=(
                    Action(R.RESTITUTION, "Repay every recruitment fee withheld.", financial=True),
                ),
                leverage=(
                    Leverage(
                        LeverageType.CONTRACTUAL_DEMAND,
                        "Tanger Intérim",
                        "No fees charged to workers, written into the contract.",
                    ),
                ),
            ),
            TrackSpec(
                "northway",
                L,
                "escalated",
                "Atlas makes Northway's shirts.",
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Atlas Confection SARL",
                        "Ask Atlas to stop using agencies that charge fees.",
                    ),
                ),
                story=Story(escalate="Atlas still recruits through the agency."),
            ),
        ),
    ),
    CaseSpec(
        "Spray drift reaches the school; the farm and its sprayer",
        Channel.WHATSAPP,
        "es",
        Category.HEALTH_AND_SAFETY,
        "Escuela rural El Tigre, Carepa",
        "La fumigación aérea llega hasta la escuela. Los profesores cierran las ventanas pero "
        "el olor se queda todo el día.",
        ("Deiner Córdoba", "Marleny Rentería"),
        "in_remedy",
        people_affected=120,
        tracks=(
            TrackSpec(
                "almendros",
                K,
                "verifying",
                "The farm booked the spraying over the school with an aerial contractor.",
                actions=(Action(R.CESSATION, "A 200-metre no-spray zone around the school."),),
                leverage=(
                    Leverage(
                        LeverageType.CONTRACTUAL_DEMAND,
                        "Aerofumigaciones del Urabá",
                        "GPS records of every flight, shared monthly.",
                    ),
                ),
            ),
            TrackSpec(
                "verdeal",
                L,
                "partner_remedying",
                "Verdeal buys the farm's harvest.",
                actions=(
                    Action(
                        R.NON_REPETITION,
                        "Ground spraying only in the lots next to the school.",
                        owner=PARTNER,
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Market stalls destroyed near the mine gate",
        Channel.SMS,
        "en",
        Category.COMMUNITY,
        "Kilima mine gate market",
        "Simba guards and county askaris pulled down our stalls at the gate and took our goods.",
        ("Pamela Anyango", "Tom Barasa"),
        "in_remedy",
        people_affected=22,
        tracks=(
            TrackSpec(
                "simba",
                K,
                "remedied",
                "Simba guards took part in the clearance led by the county.",
                actions=(
                    Action(
                        R.COMPENSATION, "Pay for the goods taken and the stalls.", financial=True
                    ),
                ),
                leverage=(
                    Leverage(
                        LeverageType.JOINT_ACTION,
                        "County enforcement office",
                        "Agree a market space away from the truck lane.",
                    ),
                ),
            ),
            TrackSpec(
                "kilima",
                L,
                "verifying",
                "Simba guards Kilima's gate under contract.",
                actions=(
                    Action(
                        R.NON_REPETITION,
                        "Simba's post orders forbid taking part in county clearances.",
                        owner=PARTNER,
                    ),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Heat on the sewing floor; partly remedied",
        Channel.WEB,
        "fr",
        Category.HEALTH_AND_SAFETY,
        "Atlas Confection, atelier de couture",
        "En juillet il fait plus de 38 degrés dans l'atelier. Deux ouvrières se sont évanouies.",
        ("Laila Bennani", "Zineb Amrani"),
        "resolved",
        people_affected=300,
        tracks=(
            TrackSpec(
                "atlas",
                K,
                "partly_remedied",
                "Atlas and the building's owner left the ventilation broken.",
                actions=(Action(R.CESSATION, "Repair the ventilation and add water points."),),
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "The building's owner",
                        "Share the cost of a new roof insulation.",
                    ),
                ),
                story=Story(
                    gap="La ventilation marche mais le toit chauffe toujours l'après-midi."
                ),
            ),
            TrackSpec(
                "northway",
                L,
                "partly_remedied",
                "Atlas makes Northway's jeans.",
                actions=(
                    Action(
                        R.NON_REPETITION, "Heat plan with breaks above 32 degrees.", owner=PARTNER
                    ),
                ),
                story=Story(
                    gap="Les pauses existent mais le chef les refuse pendant les "
                    "commandes urgentes."
                ),
            ),
        ),
    ),
    CaseSpec(
        "Wells run dry after irrigation; closed without confirmation",
        Channel.WHATSAPP,
        "es",
        Category.ENVIRONMENT,
        "Vereda Zungo Embarcadero",
        "Desde que las fincas riegan de noche, los pozos de la vereda se secan en verano.",
        ("Rosa Elvira Murillo", "Fredy Palacios"),
        "resolved",
        people_affected=90,
        tracks=(
            TrackSpec(
                "almendros",
                K,
                "unconfirmed",
                "The farm pumps from the same aquifer as two neighbouring farms.",
                actions=(Action(R.RESTITUTION, "Deepen the two community wells."),),
                leverage=(
                    Leverage(
                        LeverageType.JOINT_ACTION,
                        "Neighbouring farms",
                        "A shared pumping schedule.",
                    ),
                ),
            ),
            TrackSpec(
                "verdeal",
                L,
                "unconfirmed",
                "Verdeal buys from the farms that pump.",
                actions=(
                    Action(R.NON_REPETITION, "Night pumping limited to 4 hours.", owner=PARTNER),
                ),
            ),
        ),
    ),
    CaseSpec(
        "Night bus crash injures workers; referred",
        Channel.WEB,
        "ar",
        Category.HEALTH_AND_SAFETY,
        "الطريق إلى المنطقة الحرة، طنجة",
        "انقلبت حافلة الوردية الليلية وأصيبت تسع عاملات. الحافلة قديمة والسائق كان يعمل منذ "
        "الصباح.",
        ("سميرة التازي", "حفصة العلوي"),
        "resolved",
        people_affected=9,
        severity=(4, 2, 3),
        tracks=(
            TrackSpec(
                "atlas",
                K,
                "referred",
                "Atlas chose the transport contractor and ends shifts at 2 a.m.",
                actions=(
                    Action(R.COMPENSATION, "Pay the wages lost while injured.", financial=True),
                ),
                leverage=(
                    Leverage(
                        LeverageType.CONTRACTUAL_DEMAND,
                        "Transport contractor",
                        "Drivers' hours and a bus safety inspection.",
                    ),
                ),
                story=Story(
                    decline="نريد تعويضا عن الإصابات وليس الأجور فقط.",
                    refer="Damages for injuries are for the court.",
                    refer_to="ma_court",
                ),
            ),
            TrackSpec(
                "northway",
                L,
                "referred",
                "Atlas makes Northway's shirts.",
                story=Story(
                    refer="The NCP can examine Northway's due diligence on supplier transport.",
                    refer_to="gb_ncp",
                ),
            ),
        ),
    ),
)


# The result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: Role
    display_name: str
    organisation: str | None


@dataclass(frozen=True)
class DemoTrack:
    organisation: str
    kind: TrackKind
    state: str


@dataclass(frozen=True)
class DemoCase:
    title: str
    reference: str
    pin: str
    state: str
    language: str
    channel: Channel
    tracks: tuple[DemoTrack, ...]


@dataclass
class DemoReport:
    organisations: list[Organisation] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    mechanisms: list[ReferralMechanism] = field(default_factory=list)
    cases: list[DemoCase] = field(default_factory=list)


def demo_refusal() -> str | None:
    """Why the demo cannot be seeded here, or None."""
    if db.session.scalar(select(exists().where(Grievance.id.is_not(None)))):
        return "The database already has grievances: demo data goes only into an empty one."
    taken = [spec.email for spec in ACCOUNTS if accounts.find_user(spec.email) is not None]
    if taken:
        return f"Demo accounts already exist: {', '.join(taken)}."
    return None


def seed_demo(password: str | None = None, progress: Progress | None = None) -> DemoReport:
    """Fill an empty database with the demo, all in one unit of work (all or nothing).

    ``password`` gives every account the same password (tests); by default each
    gets a random one, returned in the report.
    """
    say = progress or (lambda _line: None)
    with atomic():
        refusal = demo_refusal()
        if refusal is not None:
            raise DemoRefused(refusal)
        seeder = _Seeder(say)
        seeder.organisations()
        seeder.accounts(password)
        seeder.mechanisms()
        say(f"{len(CASES)} grievances, step by step through the services...")
        for spec in CASES:
            seeder.case(spec)
    return seeder.report


# How the demo gets there --------------------------------------------------------------


class _Seeder:
    def __init__(self, say: Progress) -> None:
        self.say = say
        self.report = DemoReport()
        self.orgs: dict[str, Organisation] = {}
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, ReferralMechanism] = {}
        self.phones = 0

    # The cast -----------------------------------------------------------------------

    def organisations(self) -> None:
        for spec in ORGANISATIONS:
            organisation = create_organisation(OPERATOR, spec.name, spec.kind, spec.country)
            self.orgs[spec.key] = organisation
            self.report.organisations.append(organisation)
        self.say(f"{len(ORGANISATIONS)} organisations.")

    def accounts(self, password: str | None) -> None:
        for spec in ACCOUNTS:
            chosen = password or secrets.token_urlsafe(12)
            organisation = self.orgs[spec.organisation] if spec.organisation else None
            user = accounts.create_user(
                OPERATOR, spec.email, chosen, spec.role, organisation, spec.display_name
            )
            self.actors[spec.key] = Actor.for_user(user)
            self.report.accounts.append(
                DemoAccount(
                    spec.email,
                    chosen,
                    spec.role,
                    spec.display_name,
                    organisation.name if organisation else None,
                )
            )
        vet_organisation(self.actors["admin"], self.orgs["ngo"])
        self.say(f"{len(ACCOUNTS)} accounts.")

    def mechanisms(self) -> None:
        admin = self.actors["admin"]
        for spec in MECHANISMS:
            mechanism = add_mechanism(admin, spec.country, spec.kind, spec.name, spec.contact)
            self.places[spec.key] = mechanism
            self.report.mechanisms.append(mechanism)
        self.say(f"{len(MECHANISMS)} referral mechanisms.")

    def team_for(self, track: InvolvementTrack) -> Actor:
        """A company's or partner's own staff work their track when they have accounts."""
        for key in ("kilima_team", "simba_team"):
            if self.actors[key].organisation_id == track.organisation_id:
                return self.actors[key]
        return self.actors["handler"]

    # Intake ---------------------------------------------------------------------------

    def _people(self, spec: CaseSpec) -> list[PersonDetails]:
        people = []
        for name in spec.people:
            self.phones += 1
            people.append(
                PersonDetails(name, f"{DEMO_PHONE_PREFIX}{self.phones:03d}", spec.language)
            )
        return people

    def file(self, spec: CaseSpec) -> tuple[Grievance, str]:
        people = self._people(spec)
        form = GrievanceForm(
            channel=spec.channel,
            language=spec.language,
            description=spec.description,
            location=spec.location,
            category=spec.category,
            harm_date=utcnow().date() - timedelta(days=spec.harm_days_ago),
            people_affected=spec.people_affected or len(people),
            reprisal_risk=spec.reprisal_risk,
            identity_withheld=spec.identity_withheld,
            contact_consent=spec.contact_consent,
            complainant=people[0],
            affected=people[1:],
        )
        filer = self.actors["proxy"] if spec.via_proxy else SYSTEM
        submitted = submit_grievance(filer, form)
        grievance = submitted.grievance
        if spec.via_proxy:
            grant_mandate(
                self.actors["proxy"],
                self.orgs["ngo"],
                grievance,
                tuple(MandateScope),
                ConsentMethod.THUMBPRINT,
                utcnow().date() + timedelta(days=365),
            )
        return grievance, submitted.pin

    def complainant(self, grievance: Grievance) -> Actor:
        return Actor.complainant(grievance.reference, grievance.people[0].person_id)

    def answerer(self, grievance: Grievance, spec: CaseSpec) -> Actor:
        """Who answers a proposal: the NGO when it holds the mandate, else the complainant."""
        return self.actors["proxy"] if spec.via_proxy else self.complainant(grievance)

    def case(self, spec: CaseSpec) -> None:
        grievance, pin = self.file(spec)
        handler, other_handler = self.actors["handler"], self.actors["handler2"]
        state = spec.state
        if state == "awaiting_complainant":
            intake.request_info(handler, grievance, spec.question)
        elif state == "assessment":
            intake.accept(handler, grievance)
        elif state in ("not_admissible", "under_review") and not spec.tracks:
            mechanism = self.places[spec.refer_to]
            intake.reject(other_handler, grievance, spec.decision, mechanism.id)
        elif state == "no_involvement":
            intake.accept(handler, grievance)
            mechanism = self.places[spec.refer_to]
            intake.find_no_involvement(other_handler, grievance, spec.decision, mechanism.id)
        elif spec.tracks:
            self.classify(grievance, spec)
        if state == "withdrawn":
            intake.withdraw(self.answerer(grievance, spec), grievance)
        if spec.appeal:
            intake.appeal(self.complainant(grievance), grievance, spec.appeal)
        if spec.review:
            intake.review(self.actors["supervisor"], grievance, True, spec.review)
        self._check(grievance, spec)
        self.report.cases.append(
            DemoCase(
                spec.title,
                grievance.reference,
                pin,
                grievance.state,
                spec.language,
                spec.channel,
                tuple(
                    DemoTrack(track.organisation.name, track.kind, track.state)
                    for track in grievance.tracks
                ),
            )
        )

    def classify(self, grievance: Grievance, spec: CaseSpec) -> None:
        handler = self.actors["handler"]
        intake.accept(handler, grievance)
        plans = [
            intake.TrackPlan(self.orgs[item.organisation], item.kind, item.rationale)
            for item in spec.tracks
        ]
        opened = intake.classify(handler, grievance, plans, intake.Severity(*spec.severity))
        for track, item in zip(opened, spec.tracks, strict=True):
            self.track_to(track, item, spec)

    @staticmethod
    def _check(grievance: Grievance, spec: CaseSpec) -> None:
        reached = [grievance.state, *(track.state for track in grievance.tracks)]
        wanted = [spec.state, *(item.state for item in spec.tracks)]
        if reached != wanted:
            raise RuntimeError(f"demo case {spec.title!r} reached {reached}, not {wanted}")

    # Tracks ---------------------------------------------------------------------------

    def track_to(self, track: InvolvementTrack, item: TrackSpec, spec: CaseSpec) -> None:
        """The shortest path to ``item.state``, as tests/workflows/scenarios.py takes it."""
        if item.state == "withdrawn":
            return  # the grievance's withdrawal ends the track
        if item.kind is TrackKind.DIRECTLY_LINKED:
            self._linked(track, item)
        else:
            self._remedy(track, item, spec)

    def _remedy(self, track: InvolvementTrack, item: TrackSpec, spec: CaseSpec) -> None:
        """cause and contribute: plan, propose, answer, implement, verify."""
        target, story = item.state, item.story
        if target == "planning":
            return
        team = self.team_for(track)
        leverage = [entry.plan() for entry in item.leverage]
        tracks.propose_remedy(team, track, [action.plan() for action in item.actions], leverage)
        if target == "proposed":
            return
        answerer = self.answerer(track.grievance, spec)
        if target in ("dialogue", "referred"):
            tracks.decline_proposal(answerer, track, story.decline)
            if target == "referred":
                mechanism = self.places[story.refer_to]
                tracks.refer(self.actors["handler"], track, mechanism.id, story.refer)
            return
        tracks.accept_proposal(answerer, track)
        if story.dispute and story.redo:
            self._deliver(track, story)
            self._answer(track, Answer.NO, None, story.dispute)
            tracks.add_remedy_action(team, track, story.redo.plan())
        if target == "implementing":
            return
        self._deliver(track, story)
        self._verify(track, item)

    def _linked(self, track: InvolvementTrack, item: TrackSpec) -> None:
        """directly linked: leverage, then the partner commits, or escalation, or referral."""
        target, story = item.state, item.story
        handler = self.actors["handler"]
        team = self.team_for(track)
        for entry in item.leverage:
            tracks.record_leverage(team, track, entry.plan())
        if target == "engaging":
            return
        if target == "referred":
            tracks.refer(handler, track, self.places[story.refer_to].id, story.refer)
            return
        if target in ("escalated", "relationship_ended"):
            tracks.escalate(handler, track, story.escalate)
            if target == "relationship_ended":
                tracks.end_relationship(self.actors["supervisor"], track, story.impact_assessment)
            return
        tracks.partner_commits(team, track, [action.plan() for action in item.actions])
        if target == "partner_remedying":
            return
        self._deliver(track, story)
        self._verify(track, item)

    def _deliver(self, track: InvolvementTrack, story: Story) -> None:
        team = self.team_for(track)
        for action in list(track.remedy_actions):
            if action.is_active and not action.is_delivered:
                tracks.report_delivered(team, action, story.evidence)

    def _verify(self, track: InvolvementTrack, item: TrackSpec) -> None:
        """The people's answers: all yes, one "partly", or some silent until a supervisor
        closes; in ``verifying`` only the first has answered yet."""
        target, story = item.state, item.story
        if target == "remedied":
            self._answer(track, Answer.YES, Answer.YES)
        elif target == "partly_remedied":
            self._answer(track, Answer.PARTLY, Answer.YES, story.gap)
        elif target in ("verifying", "unconfirmed") and len(self._open(track)) > 1:
            self._answer(track, Answer.YES, None)  # the others have not answered yet
        if target == "unconfirmed":
            _let_check_in_window_pass(track)
            tracks.close_without_confirmation(self.actors["supervisor"], track, story.close)

    @staticmethod
    def _open(track: InvolvementTrack) -> list[CheckIn]:
        return [check_in for check_in in track.check_ins if check_in.is_open]

    def _answer(
        self,
        track: InvolvementTrack,
        first: Answer,
        rest: Answer | None,
        comment: str | None = None,
    ) -> None:
        """The first recipient answers ``first`` (with ``comment``); the others ``rest``."""
        grievance = track.grievance
        for index, check_in in enumerate(self._open(track)):
            answer = first if index == 0 else rest
            if answer is None or not check_in.is_open:
                continue
            actor = (
                self.actors["proxy"]
                if check_in.person_id is None
                else Actor.complainant(grievance.reference, check_in.person_id)
            )
            check_ins.answer_check_in(
                actor,
                check_in,
                answer,
                comment=comment if index == 0 else None,
                satisfaction={Answer.YES: 4, Answer.PARTLY: 3, Answer.NO: 1}[answer],
            )


def _let_check_in_window_pass(track: InvolvementTrack) -> None:
    """The two weeks the people have to answer, passed (see the module's docstring)."""
    track.check_in_window_ends_at = utcnow() - timedelta(minutes=1)
