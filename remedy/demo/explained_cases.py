"""Demo cases about an automated decision whose people asked for an explanation."""

from __future__ import annotations

from remedy.demo.specs import C, CaseSpec, K, L, Leverage, Story, TrackSpec
from remedy.models.grievance import Category, Channel
from remedy.models.leverage_action import LeverageType

EXPLAINING = "explanation_requested"

EXPLANATION_CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "Pay cut by the mine's shift-scoring software; an explanation asked for",
        Channel.SMS,
        "sw",
        Category.AUTOMATED_DECISION,
        "Kilima pit, night shift",
        "Mfumo wa kompyuta ulikata mshahara wangu wa wiki mbili bila mtu kuniambia kwa nini.",
        ("Halima Chebet",),
        "in_remedy",
        people_affected=1,
        tracks=(
            TrackSpec(
                "kilima",
                K,
                EXPLAINING,
                "Kilima's own scoring software docked the pay; no person reviewed it.",
                story=Story(explain="Kwa nini mfumo ulisema sikufika kazini?"),
            ),
        ),
    ),
    CaseSpec(
        "Seasonal workers struck off by an app; the buyer and the farm's labour contractor",
        Channel.WEB,
        "es",
        Category.AUTOMATED_DECISION,
        "Finca Los Almendros, Antioquia",
        "La aplicación de turnos de la finca me borró de la lista y ya no me llaman. Nadie "
        "me dice por qué.",
        ("Carlos Restrepo",),
        "in_remedy",
        people_affected=30,
        tracks=(
            TrackSpec(
                "verdeal",
                C,
                EXPLAINING,
                "Verdeal's own scheduling app scores the pickers it calls back.",
                story=Story(explain="¿Por qué la aplicación me borró de la lista?"),
            ),
            TrackSpec(
                "almendros",
                L,
                EXPLAINING,
                "The farm supplies Verdeal and runs the app's shifts.",
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Finca Los Almendros",
                        "Ask the farm how the app chooses whom to call back.",
                    ),
                ),
                story=Story(explain="¿Quién decidió que yo no volviera?"),
            ),
        ),
    ),
)
