"""Demo cases a company caused: its remedy proposed, disputed, delivered and checked
with the people, or declined and referred."""

from __future__ import annotations

from remedy.demo.specs import PARTNER, Action, C, CaseSpec, K, L, Leverage, R, Story, TrackSpec
from remedy.models.grievance import Category, Channel, ReprisalRisk
from remedy.models.leverage_action import LeverageType
from remedy.models.remedy_action import ActionOwner

CAUSE_CASES: tuple[CaseSpec, ...] = (
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
)
