"""What a complainant is told about their case: in plain words, what is happening now,
what comes next and by when. The SMS STATUS reply, the voice status and the web
status page all say the same thing, from here.

Texts are short on purpose (an SMS carries a reference, these two sentences and
a date within three segments) and never name the people. Organisations are named only
in ``involvement`` (see :mod:`remedy.cases.involvement`), which every channel shows
after the PIN only: the complainant may read it on a shared phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from remedy.cases.involvement import Involvement, involvements
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows.states import IntakeState, TrackState


@dataclass(frozen=True)
class Wording:
    now: LazyString
    next: LazyString
    # Something awaits the complainant's answer (accept a proposal, confirm a delivery, ...).
    awaits_you: bool = False


INTAKE_WORDING: dict[str, Wording] = {
    IntakeState.RECEIVED: Wording(
        _l("We received your case."), _l("We will check that we can handle it here.")
    ),
    IntakeState.SCREENING: Wording(
        _l("We are checking that we can handle your case."),
        _l("We will tell you if we accept it."),
    ),
    IntakeState.AWAITING_COMPLAINANT: Wording(
        _l("We asked you for more information."),
        _l("Please send it. Without it we go on with what we have."),
        awaits_you=True,
    ),
    IntakeState.ASSESSMENT: Wording(
        _l("We are finding out who is responsible."),
        _l("We will tell you what must be done."),
    ),
    IntakeState.UNDER_REVIEW: Wording(
        _l("Someone new is reviewing your appeal."), _l("We will tell you the decision.")
    ),
    IntakeState.RESOLVED: Wording(
        _l("Your case is closed."), _l("You may appeal if you disagree.")
    ),
    IntakeState.NOT_ADMISSIBLE: Wording(
        _l("Your case cannot be handled here."),
        _l("You may appeal, or go to the body we named."),
    ),
    IntakeState.NO_INVOLVEMENT: Wording(
        _l("We found the company was not involved."),
        _l("You may appeal, or go to the body we named."),
    ),
    IntakeState.WITHDRAWN: Wording(
        _l("Your case was withdrawn."), _l("You may tell us about a new problem at any time.")
    ),
}

TRACK_WORDING: dict[str, Wording] = {
    TrackState.PLANNING: Wording(
        _l("A remedy is being prepared."), _l("We will send you the proposal.")
    ),
    TrackState.PROPOSED: Wording(
        _l("A remedy was proposed to you."),
        _l("Please accept or decline it."),
        awaits_you=True,
    ),
    TrackState.DIALOGUE: Wording(
        _l("We are discussing a better proposal."), _l("We will send you the new proposal.")
    ),
    TrackState.IMPLEMENTING: Wording(
        _l("The remedy is being carried out."), _l("We will ask you if it arrived.")
    ),
    TrackState.VERIFYING: Wording(
        _l("We are asking if the remedy arrived."),
        _l("Please tell us: did you receive it?"),
        awaits_you=True,
    ),
    TrackState.ENGAGING: Wording(
        _l("The company is pressing its business partner to act."),
        _l("We will tell you what the partner promises."),
    ),
    TrackState.ESCALATED: Wording(
        _l("The company is pressing its business partner harder."),
        _l("We will tell you what the partner promises."),
    ),
    TrackState.PARTNER_REMEDYING: Wording(
        _l("The business partner is carrying out a remedy."),
        _l("We will ask you if it arrived."),
    ),
    TrackState.CLASSIFICATION_CONTESTED: Wording(
        _l("You asked us to look again at how the company is involved."),
        _l("A supervisor who did not decide it will answer you."),
    ),
    TrackState.EXPLANATION_REQUESTED: Wording(
        _l("You asked why the automated decision was made."),
        _l("We will explain it to you."),
    ),
    TrackState.PARALLEL_PROCEEDINGS: Wording(
        _l("A court or another public body is also handling this."),
        _l("We wait for it, then we go on and tell you."),
    ),
}

IN_REMEDY = Wording(_l("The remedy work goes on."), _l("We will tell you when it is done."))


@dataclass(frozen=True)
class CaseStatus:
    state: str
    now: str
    next: str
    due_at: datetime | None
    awaits_you: bool
    outcome: Outcome | None
    # How each organisation is involved, once tracks are open.
    involvement: tuple[Involvement, ...] = ()


def _track_in_focus(grievance: Grievance) -> InvolvementTrack | None:
    """The open track that matters most to the complainant: one awaiting them, else the
    one due soonest."""
    open_tracks = [track for track in grievance.tracks if not track.is_ended]
    if not open_tracks:
        return None
    waiting = [
        t for t in open_tracks if t.state in TRACK_WORDING and TRACK_WORDING[t.state].awaits_you
    ]
    pool = waiting or open_tracks
    return min(pool, key=lambda t: (t.due_at is None, t.due_at or t.opened_at, t.id))


def case_status(grievance: Grievance) -> CaseStatus:
    """Rendered in the current locale: call inside ``force_locale`` outside a request."""
    wording = INTAKE_WORDING.get(grievance.state, IN_REMEDY)
    due_at = grievance.due_at
    state = grievance.state
    if grievance.state == IntakeState.IN_REMEDY:
        track = _track_in_focus(grievance)
        if track is not None:
            wording = TRACK_WORDING.get(track.state, IN_REMEDY)
            due_at, state = track.due_at, track.state
    if grievance.is_ended:
        due_at = None
    return CaseStatus(
        state=state,
        now=str(wording.now),
        next=str(wording.next),
        due_at=due_at,
        awaits_you=wording.awaits_you,
        outcome=grievance.outcome,
        involvement=involvements(grievance),
    )
