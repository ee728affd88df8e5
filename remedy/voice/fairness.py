"""How fair the handling of an ended case was, by voice: offered in the "hear about my
case" menu while the question is open (:mod:`remedy.cases.mechanism_feedback`).

The caller presses 1 (not at all) to 5 (very): the answer is recorded at once, so a
caller who hangs up next has still been heard. Then they may add a comment after the
beep, or press the hash key at once for none; a comment is "[voice recording]" with the
recording as the case's attachment once the worker has fetched it, as every spoken
answer is, and it replaces the answer with the same number and the comment.
"""

from __future__ import annotations

from remedy.cases import mechanism_feedback
from remedy.models.call import RecordingPurpose
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.voice.case import actor_of, grievance_of, take, told
from remedy.voice.turn import CallTurn, Step, not_understood, recording_prompt


def ask_fairness(turn: CallTurn) -> None:
    turn.speech.prompt("fairness_question", turn.speech.gather(turn.call.turn))


def _answer(turn: CallTurn, score: int, comment: str | None) -> bool:
    grievance = grievance_of(turn)
    actor = actor_of(turn, grievance)
    return take(
        turn,
        grievance,
        lambda: mechanism_feedback.answer_fairness(
            actor, grievance, score, comment, FeedbackVia.VOICE
        ),
    )


def answer_fairness(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked is None or picked not in mechanism_feedback.SCORES:
        not_understood(turn)
        return
    if not _answer(turn, picked, None):
        turn.fire("fairness_closed")
        return
    turn.call.choices = str(picked)  # the comment, if any, goes with the same number
    turn.fire("give_fairness")


def answer_comment(turn: CallTurn) -> None:
    score = int(turn.call.choices or 0)
    if turn.keep_recording(RecordingPurpose.FAIRNESS_COMMENT) is None or _answer(
        turn, score, told()
    ):
        turn.speech.prompt("answered")
    turn.fire("give_fairness_comment")


STEPS: dict[str, Step] = {
    "fairness": Step(ask_fairness, answer_fairness),
    "fairness_comment": Step(recording_prompt("fairness_comment"), answer_comment),
}
