"""Demo cases paused while a court or a labour inspectorate takes the matter up."""

from __future__ import annotations

from remedy.demo.specs import C, CaseSpec, K, L, Leverage, Story, TrackSpec
from remedy.models.grievance import Category, Channel
from remedy.models.involvement_track import ProceedingKind
from remedy.models.leverage_action import LeverageType

PAUSED = "parallel_proceedings"

PROCEEDINGS_CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "A guard's shot at the mine gate; the county court has the case",
        Channel.SMS,
        "sw",
        Category.SECURITY_FORCES,
        "Kilima pit, main gate",
        "Mlinzi alimpiga risasi kijana wetu langoni mwa mgodi usiku wa Jumamosi.",
        ("Amina Wanjiru",),
        "in_remedy",
        people_affected=1,
        severity=(4, 1, 4),
        tracks=(
            TrackSpec(
                "simba",
                C,
                PAUSED,
                "Simba's guard fired the shot.",
                story=Story(proceedings="The family filed a claim at the county court."),
            ),
            TrackSpec(
                "kilima",
                K,
                PAUSED,
                "Kilima armed the guards at its gate.",
                story=Story(proceedings="The same claim names Kilima; the court hears both."),
            ),
        ),
    ),
    CaseSpec(
        "Unpaid harvest wages; the labour inspectorate is inspecting",
        Channel.WEB,
        "es",
        Category.LABOUR,
        "Finca Los Almendros, Huila",
        "En la finca no nos pagaron las dos últimas semanas de cosecha.",
        ("Luis Ortega",),
        "in_remedy",
        people_affected=40,
        tracks=(
            TrackSpec(
                "verdeal",
                L,
                PAUSED,
                "Los Almendros grows Verdeal's avocados.",
                leverage=(
                    Leverage(
                        LeverageType.RAISE_ISSUE,
                        "Finca Los Almendros",
                        "Ask for the harvest payroll.",
                    ),
                ),
                story=Story(
                    proceedings="The labour inspectorate opened an inspection of the farm.",
                    proceeding=ProceedingKind.LABOUR_INSPECTORATE,
                ),
            ),
        ),
    ),
)
