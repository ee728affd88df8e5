"""Demo cases a company contributed to, or is directly linked to through a business
partner: leverage, the partner's commitments, escalation and referral."""

from __future__ import annotations

from remedy.demo.specs import PARTNER, Action, CaseSpec, K, L, Leverage, R, Story, TrackSpec
from remedy.models.grievance import Category, Channel, ReprisalRisk
from remedy.models.leverage_action import LeverageType

LINKED_CASES: tuple[CaseSpec, ...] = (
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
