"""Demo cases whose people contest how an organisation is involved, awaiting review."""

from __future__ import annotations

from remedy.demo.specs import C, CaseSpec, K, L, Leverage, Story, TrackSpec
from remedy.models.grievance import Category, Channel
from remedy.models.leverage_action import LeverageType

CONTESTED = "classification_contested"

CONTESTED_CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "A herder beaten at the mine fence; the guards and the mine",
        Channel.WEB,
        "en",
        Category.SECURITY_FORCES,
        "Grazing land north of the Kilima pit",
        "Two guards beat my brother when his goats went near the new fence. The mine's "
        "security manager was there and said nothing.",
        ("Joseph Kiprono",),
        "in_remedy",
        people_affected=1,
        severity=(3, 1, 2),
        tracks=(
            TrackSpec(
                "kilima",
                K,
                CONTESTED,
                "Kilima's security manager was present and did not stop the guards.",
                story=Story(contest="The manager gave the order: Kilima caused this."),
            ),
            TrackSpec(
                "simba",
                C,
                CONTESTED,
                "Simba's guards beat the herder.",
                story=Story(contest="The guards only did what Kilima's manager told them."),
            ),
        ),
    ),
    CaseSpec(
        "Forced overtime at the supplier; the buyer's prices",
        Channel.WEB,
        "fr",
        Category.LABOUR,
        "Atlas Confection, Tanger",
        "Chez Atlas on travaille jusqu'à minuit en décembre pour les commandes de Northway.",
        ("Nadia Alaoui",),
        "in_remedy",
        people_affected=200,
        tracks=(
            TrackSpec(
                "northway",
                L,
                CONTESTED,
                "Atlas makes Northway's shirts; Atlas sets the hours.",
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Atlas Confection SARL",
                        "Ask Atlas for its December hours records.",
                    ),
                ),
                story=Story(contest="Northway change ses commandes au dernier moment."),
            ),
        ),
    ),
)
