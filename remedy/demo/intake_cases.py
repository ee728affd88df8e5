"""Demo cases that end at intake: screening, a question to the complainant, assessment,
rejection, no involvement, appeals and withdrawals."""

from __future__ import annotations

from remedy.demo.specs import CaseSpec
from remedy.models.grievance import Category, Channel, ReprisalRisk

INTAKE_CASES: tuple[CaseSpec, ...] = (
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
)
