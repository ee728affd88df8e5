"""Asking why an automated decision was made, by SMS: the EXPLAIN keyword of the reader's
language (EXPLIQUER, EXPLICAR, ELEZA, اشرح), with what they want explained if they like.

Like CONTEST, it takes the newest case in remedy of the number's own person who receives
messages on it, never a discreet one, and only a track whose grievance is about an
automated decision offers it. With several such organisations, the number of one (as
the reply lists them) comes first: "EXPLAIN 2 Why was my account closed?".
"""

from __future__ import annotations

from remedy.cases import complainant_view
from remedy.cases.explanations import request_explanation
from remedy.cases.message_context import answered_in_reply
from remedy.core.actors import Actor
from remedy.messaging import sms_texts
from remedy.models.involvement_track import InvolvementTrack
from remedy.sms.keywords import Keyword, choice, parse_command
from remedy.sms.own_cases import own_tracks
from remedy.sms.turn import Turn, allowed


def explain_by_keyword(turn: Turn) -> str | None:
    command = parse_command(turn.body)
    if command is None or command.keyword is not Keyword.EXPLAIN:
        return None
    found = own_tracks(turn, complainant_view.explainable)
    if found is not None:
        return _ask(turn, found.actor, found.person_id, found.tracks)
    return turn.say(sms_texts.STEP_CLOSED, status=turn.keyword(Keyword.STATUS))


def _ask(turn: Turn, actor: Actor, person_id: int | None, tracks: list[InvolvementTrack]) -> str:
    words = turn.kept_body.strip().split(None, 1)
    question = words[1].strip() if len(words) > 1 else ""
    track = tracks[0]
    if len(tracks) > 1:
        number, _sep, rest = question.partition(" ")
        picked = choice(number, len(tracks))
        if picked is None:
            choices = ", ".join(f"{n} {item.organisation.name}" for n, item in enumerate(tracks, 1))
            word = turn.keyword(Keyword.EXPLAIN)
            return turn.say(sms_texts.EXPLAIN_WHICH, explain=word, choices=choices)
        track, question = tracks[picked - 1], rest.strip()
    with answered_in_reply(person_id):
        asked = allowed(lambda: request_explanation(actor, track, question))
    if not asked:
        return turn.say(sms_texts.STEP_CLOSED, status=turn.keyword(Keyword.STATUS))
    return turn.say(sms_texts.EXPLAIN_RECEIVED)
