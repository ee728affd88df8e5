"""Check-in rounds: who is asked, when a round opens, and when follow-ups fall due.

Intake, tracks and check-in answers all open, schedule or cancel rounds; keeping this apart
from the answers (``check_ins``) lets each of them use it without importing the others.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from remedy.cases.notify import Recipient, recipients
from remedy.cases.representation import valid_mandate
from remedy.core.settings import settings
from remedy.models.check_in import CheckIn, CheckInPurpose
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope

FOLLOW_UP_AFTER = (timedelta(days=30), timedelta(days=90))


def window() -> timedelta:
    window: timedelta = settings().check_in_window
    return window


def new_check_in(
    track: InvolvementTrack,
    recipient: Recipient,
    purpose: CheckInPurpose,
    round_: int,
    opens_at: datetime,
    opened: bool,
) -> CheckIn:
    check_in = CheckIn(
        purpose=purpose,
        round=round_,
        person_id=recipient.person.id if recipient.person else None,
        proxy_organisation_id=recipient.organisation_id,
        opens_at=opens_at,
        opened_at=opens_at if opened else None,
        closes_at=opens_at + window(),
    )
    track.check_ins.append(check_in)
    return check_in


def asked(track: InvolvementTrack) -> list[Recipient]:
    """Who is asked: every person who receives messages, and each proxy whose mandate lets
    it answer check-ins (a proxy that only follows the case is told, not asked)."""
    grievance = track.grievance
    return [
        recipient
        for recipient in recipients(grievance)
        if recipient.organisation_id is None
        or valid_mandate(recipient.organisation_id, grievance, MandateScope.ANSWER_CHECK_INS)
    ]


def current_round(track: InvolvementTrack, purpose: CheckInPurpose) -> int:
    rounds = [c.round for c in track.check_ins if c.purpose is purpose]
    return max(rounds, default=0)


def cancel_open_check_ins(track: InvolvementTrack, purpose: CheckInPurpose | None = None) -> None:
    now = utcnow()
    for check_in in track.check_ins:
        unanswered = check_in.response is None and check_in.cancelled_at is None
        if unanswered and (purpose is None or check_in.purpose is purpose):
            check_in.cancelled_at = now


def open_delivery_check_ins(track: InvolvementTrack) -> list[CheckIn]:
    """Ask every recipient; the check-in message itself went out with start_verification."""
    now = utcnow()
    cancel_open_check_ins(track, CheckInPurpose.DELIVERY)
    round_ = current_round(track, CheckInPurpose.DELIVERY) + 1
    opened = [
        new_check_in(track, recipient, CheckInPurpose.DELIVERY, round_, now, opened=True)
        for recipient in asked(track)
    ]
    track.check_in_window_ends_at = now + window()
    return opened


def schedule_follow_ups(track: InvolvementTrack) -> list[CheckIn]:
    """Questions at 30 and 90 days after the track ended; the worker opens them when due."""
    ended = track.ended_at or utcnow()
    round_ = current_round(track, CheckInPurpose.FOLLOW_UP) + 1
    scheduled = []
    for offset, recipient in [(o, r) for o in FOLLOW_UP_AFTER for r in asked(track)]:
        scheduled.append(
            new_check_in(
                track, recipient, CheckInPurpose.FOLLOW_UP, round_, ended + offset, opened=False
            )
        )
    return scheduled
