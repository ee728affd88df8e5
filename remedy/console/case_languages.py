"""The people's words in their languages on the case page: which languages the case's
people read, which of their texts are still missing in one of them ("missing in:
Français"), and on which tracks the signed-in person may add a translation
(``remedy.console.people_texts`` takes the form).

A French complainant once read the remedy proposal in English: the page names every
text the people read that is not written in each of their languages yet, on the tracks
the signed-in person sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from remedy.cases import people_texts
from remedy.cases.policy import people_text_refusal
from remedy.core.actors import Actor
from remedy.identity.visibility import may_change
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.people_text import TextSubject


def languages_context(
    actor: Actor, grievance: Grievance, tracks: Iterable[InvolvementTrack]
) -> dict[str, Any]:
    shown = list(tracks)
    return {
        "people_languages": [
            (code, people_texts.language_name(code))
            for code in people_texts.languages_of(grievance)
        ],
        "missing_texts": people_texts.missing(grievance, shown),
        "may_translate": {
            track.id
            for track in shown
            if may_change(actor) and people_text_refusal(actor, grievance, track) is None
        },
        "text_subjects": TextSubject,
    }
