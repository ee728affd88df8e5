"""Adding the people's words in one of their languages later, from the case page: the
text a handler wrote first stays, and the people who read this language read the
translation from now on, on every channel (``remedy.cases.people_writing``, audited).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import people_texts, people_writing
from remedy.console.case_acting import ROW_ID, WORKERS, act_on_track
from remedy.console.case_forms import choice
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.people_text import TextField, TextSubject


def _owner(track: InvolvementTrack) -> tuple[Any, TextField]:
    """The row the posted text belongs to, on this track, and which of its texts."""
    subject = choice(TextSubject, request.form.get("subject", ""), "subject")
    if subject is TextSubject.TRACK:
        return track, TextField.EXPLANATION
    if subject is TextSubject.REMEDY_ACTION:
        wanted = request.form.get("subject_id", "")
        for action in track.remedy_actions:
            if wanted.isdigit() and action.id == int(wanted):
                return action, TextField.DESCRIPTION
        raise NotFound(_("There is no such action on this case."))
    raise InvalidInput(_("There is no such text to translate here."), "subject")


def _key() -> str:
    parts = (request.form.get(name, "") for name in ("subject", "subject_id", "language"))
    return "people-text-" + "-".join(parts)


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/people-texts")
@roles_required(*WORKERS)
def write_people_text(reference: str, track_id: int) -> Response | tuple[str, int]:
    """A translation added later: the people read it from now on, on every channel."""

    def work(actor: Actor, track: InvolvementTrack) -> str:
        owner, field = _owner(track)
        language = request.form.get("language", "")
        people_writing.write_text(actor, owner, field, language, request.form.get("text", ""))
        return _(
            "Saved: the people who read %(language)s now read it in their language.",
            language=people_texts.language_name(language),
        )

    return act_on_track(reference, track_id, _key(), work)
