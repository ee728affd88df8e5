"""Contesting how an organisation is involved, by SMS: the CONTEST keyword of the
reader's language (CONTESTER, IMPUGNAR, PINGA, اعتراض) and why, in one message.

It takes the newest case in remedy of the number's own person who receives messages on
it, never a discreet one: its phone is not told who is involved without the PIN. With
several organisations whose involvement may be contested, the number of one (as the
reply lists them) comes first: "CONTEST 2 The company drove the trucks itself".
"""

from __future__ import annotations

from remedy.cases import complainant_view
from remedy.cases.contests import contest_classification
from remedy.cases.message_context import answered_in_reply
from remedy.core.actors import Actor
from remedy.messaging import sms_texts
from remedy.models.involvement_track import InvolvementTrack
from remedy.sms.keywords import Keyword, choice, parse_command
from remedy.sms.own_cases import own_tracks
from remedy.sms.turn import Turn, allowed


def contest_by_keyword(turn: Turn) -> str | None:
    command = parse_command(turn.body)
    if command is None or command.keyword is not Keyword.CONTEST:
        return None
    found = own_tracks(turn, complainant_view.contestable)
    if found is not None:
        return _contest(turn, found.actor, found.person_id, found.tracks)
    return turn.say(sms_texts.STEP_CLOSED, status=turn.keyword(Keyword.STATUS))


def _contest(
    turn: Turn, actor: Actor, person_id: int | None, open_tracks: list[InvolvementTrack]
) -> str:
    word = turn.keyword(Keyword.CONTEST)
    words = turn.kept_body.strip().split(None, 1)
    reason = words[1].strip() if len(words) > 1 else ""
    track = open_tracks[0]
    if len(open_tracks) > 1:
        number, _sep, reason = reason.partition(" ")
        picked = choice(number, len(open_tracks))
        if picked is None:
            choices = ", ".join(
                f"{n} {item.organisation.name}" for n, item in enumerate(open_tracks, 1)
            )
            return turn.say(sms_texts.CONTEST_WHICH, contest=word, choices=choices)
        track, reason = open_tracks[picked - 1], reason.strip()
    if not reason:
        return turn.say(sms_texts.CONTEST_HOW, contest=word)
    with answered_in_reply(person_id):
        lodged = allowed(lambda: contest_classification(actor, track, reason))
    if not lodged:
        return turn.say(sms_texts.STEP_CLOSED, status=turn.keyword(Keyword.STATUS))
    return turn.say(sms_texts.CONTEST_RECEIVED)
