"""Demo cases about an automated decision whose people asked for an explanation."""

from __future__ import annotations

from remedy.demo.specs import CaseSpec, K, Story, TrackSpec
from remedy.models.grievance import Category, Channel

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
)
