"""The SMS and WhatsApp filing conversation, declared as data like the case workflows.

One question per state; the person's answer fires the trigger that leads to the next
question, and the last answer files the grievance. LANG goes back to the language menu
from any question and ``choose_language`` returns to where the person was (``route``
reads ``resume_state``). Silence for a day expires the conversation and STOP ends it;
both keep the draft for the team. Adding another message to "what happened" is not a
transition: the state stays the same.

An expired draft remembers its step in ``resume_state``. The number's next message
within some days reopens it with an offer (``offer_resume``): 1 goes on where it
stopped (``resume``), 2 sets it aside and starts a new conversation (``start_again``).
A draft ended by STOP is never offered.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from remedy.workflows.definition import Party, Route, State, Workflow, transition

PERSON, SYSTEM = Party.COMPLAINANT, Party.SYSTEM

# The questions, in the order they are asked after the language.
QUESTIONS = ("what_happened", "where", "identity", "reprisal", "contact")
OPEN = ("language", *QUESTIONS)
# Every state of a conversation still under way, the offer to go on included.
UNDER_WAY = (*OPEN, "resume_offered")

STATES = (
    State("language", _l("Choosing a language")),
    State("what_happened", _l("Telling what happened")),
    State("where", _l("Saying where it happened")),
    State("identity", _l("Asked whether the company may know who they are")),
    State("reprisal", _l("Asked whether they fear harm for complaining")),
    State("contact", _l("Asked whether we may contact them")),
    State("resume_offered", _l("Asked whether to go on with an unfinished draft")),
    State("filed", _l("Filed"), ended=True),
    State("expired", _l("Unfinished: no answer for a day"), ended=True),
    State("stopped", _l("Unfinished: the person sent STOP"), ended=True),
    State("restarted", _l("Unfinished: the person started again"), ended=True),
)


def _resumes(state: str) -> Route:
    def route(conversation: Any) -> bool:
        return (getattr(conversation, "resume_state", None) or "what_happened") == state

    return route


TRANSITIONS = (
    *(
        transition(
            "choose_language",
            "language",
            question,
            PERSON,
            _l("Choose a language"),
            route=_resumes(question),
        )
        for question in QUESTIONS
    ),
    transition("change_language", QUESTIONS, "language", PERSON, _l("Change the language")),
    transition(
        "finish_story", "what_happened", "where", PERSON, _l("Finish telling what happened")
    ),
    transition("give_place", "where", "identity", PERSON, _l("Say where")),
    transition("answer_identity", "identity", "reprisal", PERSON, _l("Answer about identity")),
    transition(
        "answer_reprisal", "reprisal", "contact", PERSON, _l("Answer about fear of reprisal")
    ),
    transition(
        "answer_contact",
        "contact",
        "filed",
        PERSON,
        _l("Answer about contact: files the grievance"),
    ),
    transition("expire", UNDER_WAY, "expired", SYSTEM, _l("Expire after a day of silence")),
    transition("stop", UNDER_WAY, "stopped", PERSON, _l("Stop")),
    transition(
        "offer_resume",
        "expired",
        "resume_offered",
        PERSON,
        _l("Write again: offered to go on with the draft"),
    ),
    *(
        transition(
            "resume",
            "resume_offered",
            step,
            PERSON,
            _l("Go on with the draft where it stopped"),
            route=_resumes(step),
        )
        for step in OPEN
    ),
    transition("start_again", "resume_offered", "restarted", PERSON, _l("Start again")),
)

CONVERSATION = Workflow(
    name="conversation",
    title=_l("SMS and WhatsApp conversation"),
    states=STATES,
    transitions=TRANSITIONS,
    initial="language",
)
