"""Participatory verification: the affected people decide whether a remedy was delivered.

The rule for a round of delivery check-ins (also for collective grievances):
- any "no" disputes delivery at once: the track goes back to work and the team
  is alerted; the round's other questions are withdrawn;
- otherwise, once every affected person asked has answered: any "partly" means
  partly remedied (the gap is what the "partly" answers say), else remedied. A
  proxy's answer is one more voice (its "no" or "partly" counts) but its silence
  blocks no one; a round put only to a proxy waits for the proxy;
- silence is never consent: without every answer, only a supervisor can close
  the track, after the window, as TrackState.UNCONFIRMED.
Who answers which question: a person writing from their own number answers
their own; reference and PIN alone answer only the complainant's own question;
a proxy answers its organisation's question and those of the people its
mandate (with the check-in scope) covers. Never staff.
After a track ends, follow-up questions go out at 30 and 90 days; a "no"
within the monitoring window reopens the track (and the grievance); after it,
the team is alerted and the person told so.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.check_in_rounds import (
    cancel_open_check_ins,
    open_delivery_check_ins,
    schedule_follow_ups,
    window,
)
from remedy.cases.consultations import Consultation, record_for_decision
from remedy.cases.intake import resolve_if_done
from remedy.cases.notify import (
    notify_people,
    notify_recipient,
    notify_staff,
)
from remedy.cases.policy import (
    ask_again_refusal,
    holds_mandate,
    is_complainant,
    refuse,
)
from remedy.cases.triggers import fire
from remedy.core.actors import SYSTEM, Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.check_in import Answer, CheckIn, CheckInPurpose, CheckInResponse
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import PersonRole
from remedy.models.group_consultation import GroupDecision
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.workflows.definition import MandateScope
from remedy.workflows.states import IntakeState, TrackState

MAX_COMMENT = 2000


@transactional
def open_check_in(actor: Actor, track: InvolvementTrack) -> list[CheckIn]:
    """The team asks again (a new round) while the track is being verified."""
    refuse(ask_again_refusal(actor, track))
    opened = open_delivery_check_ins(track)
    track.grievance.updated_at = utcnow()
    event = audit.record(
        actor,
        "check_in.open",
        "track",
        track.id,
        after={"round": opened[0].round if opened else None},
    )
    notify_people(
        track.grievance,
        "check_in",
        f"a{event.seq}",
        {"date": track.check_in_window_ends_at},
        track,
    )
    return opened


def open_due_follow_ups(now: datetime) -> int:
    """Periodic: send the follow-up questions whose day has come (each in its own unit)."""
    due = db.session.scalars(
        select(CheckIn)
        .where(
            CheckIn.purpose == CheckInPurpose.FOLLOW_UP,
            CheckIn.opened_at.is_(None),
            CheckIn.cancelled_at.is_(None),
            CheckIn.opens_at <= now,
            # Contact on hold after a reprisal incident: they open once it is lifted.
            ~CheckIn.track.has(
                InvolvementTrack.grievance.has(Grievance.contact_held_since.is_not(None))
            ),
        )
        .order_by(CheckIn.id)
    ).all()
    sent = 0
    for check_in in due:
        _open_follow_up(check_in, now)
        sent += 1
    return sent


@transactional
def _open_follow_up(check_in: CheckIn, now: datetime) -> None:
    track = check_in.track
    if not track.is_ended:
        check_in.cancelled_at = now
        return
    check_in.opened_at = now
    check_in.closes_at = now + window()
    notify_recipient(track.grievance, "follow_up", f"c{check_in.id}", check_in)
    audit.record(
        SYSTEM, "check_in.follow_up", "track", track.id, after={"check_in_id": check_in.id}
    )


def _may_answer(actor: Actor, check_in: CheckIn) -> bool:
    grievance = check_in.track.grievance
    if actor.kind is ActorKind.COMPLAINANT:
        # A person answers a person's question (their own, when the channel knows who is
        # speaking), never the one put to a proxy organisation.
        if not is_complainant(actor, grievance) or check_in.person_id is None:
            return False
        if actor.person_id is not None:
            return actor.person_id == check_in.person_id
        # Reference and PIN alone identify the one who filed, not each person of a group:
        # they answer only the complainant's own question.
        return any(
            link.person_id == check_in.person_id and link.role is PersonRole.COMPLAINANT
            for link in grievance.people
        )
    if actor.kind is ActorKind.PROXY:
        if check_in.proxy_organisation_id not in (None, actor.organisation_id):
            return False  # another organisation's question
        person = check_in.person
        return holds_mandate(actor, grievance, MandateScope.ANSWER_CHECK_INS, person)
    return False


@transactional
def answer_check_in(
    actor: Actor,
    check_in: CheckIn,
    answer: Answer,
    comment: str | None = None,
    satisfaction: int | None = None,
    consultation: Consultation | None = None,
) -> CheckInResponse:
    """Only the people asked (or their mandated proxy) answer; never staff. A proxy answering
    a question put to the whole group says how it consulted them (``consultations``)."""
    if not _may_answer(actor, check_in):
        raise NotAllowed(_("Only the affected people or their proxy can answer this."))
    if not check_in.is_open:
        raise TriggerRefused(_("This question is closed."), "check_in")
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_COMMENT), "comment"
        )
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidInput(_("Satisfaction is from 1 to 5."), "satisfaction")
    response = CheckInResponse(
        answer=answer, comment=comment, satisfaction=satisfaction, answered_by=actor.id
    )
    check_in.response = response
    track = check_in.track
    track.grievance.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "check_in.answer",
        "track",
        track.id,
        after={"check_in_id": check_in.id, "answer": answer, "satisfaction": satisfaction},
    )
    record_for_decision(
        actor, track.grievance, GroupDecision.CHECK_IN, consultation, track, check_in.person
    )
    if check_in.purpose is CheckInPurpose.DELIVERY:
        _delivery_verdict(actor, track, check_in)
    else:
        _follow_up_verdict(actor, track, check_in)
    return response


def _delivery_verdict(actor: Actor, track: InvolvementTrack, answered: CheckIn) -> None:
    if track.state != TrackState.VERIFYING:
        return
    round_ = [
        c
        for c in track.check_ins
        if c.purpose is CheckInPurpose.DELIVERY
        and c.round == answered.round
        and c.cancelled_at is None
    ]
    answers = [c.response.answer for c in round_ if c.response is not None]
    # The people's own answers decide when the round is complete; a proxy's answer is one
    # more voice (its "no" or "partly" counts), and its silence blocks no one.
    needed = [c for c in round_ if c.person_id is not None] or round_
    if Answer.NO in answers:
        fire(track, "dispute", actor)
        cancel_open_check_ins(track, CheckInPurpose.DELIVERY)
        _alert_team(track, answered)
        return
    if any(c.response is None for c in needed):
        return
    if Answer.PARTLY in answers:
        gap = "\n".join(_gaps(track, answered.round)) or _("Not everything promised was delivered.")
        fire(track, "confirm_partly", actor, gap=gap)
        track.gap = gap
    else:
        fire(track, "confirm", actor)
    schedule_follow_ups(track)
    resolve_if_done(track.grievance)


def _gaps(track: InvolvementTrack, round_: int) -> list[str]:
    """What the round's "partly" answers say is missing."""
    return [
        c.response.comment
        for c in track.check_ins
        if c.purpose is CheckInPurpose.DELIVERY
        and c.round == round_
        and c.cancelled_at is None
        and c.response is not None
        and c.response.answer is Answer.PARTLY
        and c.response.comment
    ]


def _alert_team(track: InvolvementTrack, answered: CheckIn | None = None) -> None:
    """The people say the remedy is not (or no longer) there: its handlers and supervisors."""
    event = f"d{answered.id}" if answered else f"r{track.id}:{utcnow().isoformat()}"
    notify_staff(
        track.grievance,
        "staff_disputed",
        event,
        roles=(Role.SUPERVISOR, Role.HANDLER),
        organisation_id=track.organisation_id,
    )


def _follow_up_verdict(actor: Actor, track: InvolvementTrack, answered: CheckIn) -> None:
    assert answered.response is not None
    if answered.response.answer is Answer.YES or not track.is_ended:
        return
    if answered.response.answer is Answer.PARTLY:
        _alert_team(track, answered)
        return
    grievance = track.grievance
    monitoring = settings().monitoring_window
    ended_at = track.ended_at
    if (
        ended_at is None
        or utcnow() > ended_at + monitoring
        or grievance.state not in (IntakeState.RESOLVED, IntakeState.IN_REMEDY)
    ):
        _alert_team(track, answered)
        notify_recipient(grievance, "follow_up_noted", f"n{answered.id}", answered)
        return
    _reopen(actor, track)
    _alert_team(track, answered)


@transactional
def reopen_unconfirmed(actor: Actor, track: InvolvementTrack) -> None:
    """The person answers "no" to a closing without their confirmation: within the
    monitoring window the work starts again, as the message promised."""
    _reopen(actor, track)
    _alert_team(track)


def _reopen(actor: Actor, track: InvolvementTrack) -> None:
    grievance = track.grievance
    if grievance.state == IntakeState.RESOLVED:
        fire(grievance, "reopen", SYSTEM)
    fire(track, "reopen", actor)
    cancel_open_check_ins(track, CheckInPurpose.FOLLOW_UP)


@transactional
def tell_what_is_missing(actor: Actor, check_in: CheckIn, missing: str) -> None:
    """What a "partly" or "no" answer left out, said afterwards (by SMS): kept on the
    response, and as the track's gap when the round settled on "partly" without one."""
    response = check_in.response
    if response is None or response.answered_by != actor.id or not _may_answer(actor, check_in):
        raise NotAllowed(_("Only the affected people or their proxy can answer this."))
    missing = missing.strip()
    if not missing:
        raise InvalidInput(_("Write what is missing."), "comment")
    comment = f"{response.comment}\n{missing}" if response.comment else missing
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_COMMENT), "comment"
        )
    response.comment = comment
    track = check_in.track
    if track.state == TrackState.PARTLY_REMEDIED and check_in.purpose is CheckInPurpose.DELIVERY:
        track.gap = "\n".join(_gaps(track, check_in.round)) or track.gap
    track.grievance.updated_at = utcnow()
    audit.record(actor, "check_in.missing", "track", track.id, after={"check_in_id": check_in.id})
