"""A case's call recordings on its page: played from the encrypted copy, transcribed.

The rules (who hears, who types) live in :mod:`remedy.voice.transcripts`; these views
stream the stored file with its own content type (so ``<audio controls>`` plays it; a
browser seeks with Range requests) and take the transcript form.
"""

from __future__ import annotations

from io import BytesIO

from flask import request, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.console.case import find_case
from remedy.console.case_acting import ROW_ID, WORKERS, act
from remedy.console.views import STAFF, bp, current_actor
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance
from remedy.voice import transcripts


@bp.get(f"/grievances/<reference>/recordings/<{ROW_ID}:recording_id>/audio")
@roles_required(*STAFF)
def recording_audio(reference: str, recording_id: int) -> Response:
    actor = current_actor()
    grievance = find_case(actor, reference)
    stored = transcripts.audio_of(actor, grievance, recording_id)
    response = send_file(
        BytesIO(stored.content),
        mimetype=stored.content_type,
        conditional=True,  # Range requests: the player can seek
        download_name=f"recording-{recording_id}",
        as_attachment=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post(f"/grievances/<reference>/recordings/<{ROW_ID}:recording_id>/transcript")
@roles_required(*WORKERS)
def recording_transcript(reference: str, recording_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        transcripts.type_transcript(actor, grievance, recording_id, request.form.get("transcript"))
        return _("The transcript is saved.")

    return act(reference, f"transcript-{recording_id}", run, f"#recording-{recording_id}")
