"""The files that came with a case: listed on the case page, downloaded one at a time.

A sensitive case's files are for cleared staff only (``remedy.cases.sensitive``): anyone
else gets 403, even with the address of a file in hand. A remedy action's proof of
delivery belongs to its track: staff who do not see that track do not find it.
"""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from remedy.auth.sessions import roles_required
from remedy.cases.sensitive import may_read_contents
from remedy.console.case import find_case
from remedy.console.views import STAFF, bp, current_actor
from remedy.core.errors import NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.identity.visibility import visible_tracks
from remedy.models.attachment import Attachment
from remedy.models.remedy_action import RemedyAction
from remedy.voice.transcripts import is_recording, may_hear


@bp.route("/grievances/<reference>/attachments/<int:attachment_id>")
@roles_required(*STAFF)
def attachment(reference: str, attachment_id: int) -> Response:
    actor = current_actor()
    grievance = find_case(actor, reference)
    if not may_read_contents(actor, grievance):
        raise NotAllowed(_("Only staff cleared for sensitive cases may open these files."))
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.grievance_id != grievance.id or not _on_a_visible_track(found):
        raise NotFound(_("There is no such file."))
    if is_recording(found.id) and not may_hear(actor, grievance):
        # A voice can tell who speaks: the same rule as the player's.
        raise NotAllowed(_("You may not listen to the recordings of this case."))
    response = Response(found.content, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="file-{found.id}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _on_a_visible_track(found: Attachment) -> bool:
    """Files of the case as a whole, or proof of delivery on a track the reader sees."""
    if found.remedy_action_id is None:
        return True
    action = db.session.get(RemedyAction, found.remedy_action_id)
    if action is None:
        return False
    grievance = action.track.grievance
    return action.track_id in {track.id for track in visible_tracks(current_actor(), grievance)}
