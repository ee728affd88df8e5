"""A call to the voice channel, declared as data like the SMS conversation.

One prompt per state; the caller's key press or recording fires the trigger that leads
to the next prompt. A number known from an earlier case starts at the main menu (9 goes
back to the language menu). A complaint is two recordings (what happened, where) and
three questions by keypad; the last answer files the grievance and the reference and
PIN are read back. "Hear about my case" takes the reference and the PIN by keypad, reads
the status and offers what the case waits for from the person. A call the mechanism
places (a call-back) starts at the PIN, the case known from its message, and reads the
news once the PIN is typed; after a missed call, at the main menu. An answer the caller
cannot make (a wrong key, silence) repeats the prompt: the state stays the same, as it
does when the reference and PIN are read again.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from remedy.workflows.definition import Party, State, Workflow, transition

PERSON, SYSTEM = Party.COMPLAINANT, Party.SYSTEM

# The states that record what the caller says (a <Record> prompt).
RECORDING_STATES = frozenset(
    {
        "what_happened",
        "where",
        "question",
        "decline_reason",
        "missing",
        "appeal_reason",
        "contest_reason",
        "explain_reason",
        "fairness_comment",
        "team_message",
    }
)

STATES = (
    State("language", _l("Choosing a language")),
    State("main_menu", _l("At the main menu")),
    State("what_happened", _l("Recording what happened")),
    State("story_recorded", _l("Asked to keep the recording or record it again")),
    State("where", _l("Recording where it happened")),
    State("identity", _l("Asked whether the company may know who they are")),
    State("contact", _l("Asked whether we may call them back")),
    State("reprisal", _l("Asked whether they fear harm for complaining")),
    State("filed", _l("Filed: hearing the case number and PIN")),
    State("case_reference", _l("Typing the case number")),
    State("case_pin", _l("Typing the PIN")),
    State("case_open", _l("Hearing the status and what they can do")),
    State("proposal", _l("Answering a proposal")),
    State("decline_reason", _l("Recording why they decline")),
    State("check_in", _l("Saying whether the remedy arrived")),
    State("missing", _l("Recording what is missing")),
    State("question", _l("Recording the answer to the team's question")),
    State("appeal_reason", _l("Recording why they appeal")),
    State("withdraw", _l("Choosing the organisation that stops acting for them")),
    State("consent", _l("Answering whether an organisation may know who they are")),
    State("contest_which", _l("Choosing the organisation whose part they contest")),
    State("contest_reason", _l("Recording why they contest how it is involved")),
    State("explain_which", _l("Choosing the organisation whose decision they want explained")),
    State("explain_reason", _l("Recording what they want explained")),
    State("fairness", _l("Saying how fair the handling of their case was")),
    State("fairness_comment", _l("Recording a comment on how fair it was")),
    State("team_message", _l("Recording a message for the team")),
    State("forwarded", _l("Forwarded to the team"), ended=True),
    State("ended", _l("Ended"), ended=True),
)

UNDER_WAY = tuple(str(state.name) for state in STATES if not state.ended)


def _opened(call: Any) -> bool:
    return getattr(call, "grievance_id", None) is not None


def _not_opened(call: Any) -> bool:
    return not _opened(call)


def _called_back(call: Any) -> bool:
    """A call the mechanism placed with news: it knows the case, and asks only the PIN."""
    return getattr(call, "outbox_id", None) is not None


def _wrong_pin_called_back(call: Any) -> bool:
    return _not_opened(call) and _called_back(call)


def _wrong_pin_called_in(call: Any) -> bool:
    return _not_opened(call) and not _called_back(call)


def _several_choices(call: Any) -> bool:
    """More than one organisation to choose from (the call's choices, comma-separated)."""
    return "," in (getattr(call, "choices", None) or "")


def _one_choice(call: Any) -> bool:
    return not _several_choices(call)


def _in_office_hours(call: Any) -> bool:
    return bool(getattr(call, "in_office_hours", False))


def _after_hours(call: Any) -> bool:
    return not _in_office_hours(call)


TRANSITIONS = (
    transition("choose_language", "language", "main_menu", PERSON, _l("Choose a language")),
    transition("change_language", "main_menu", "language", PERSON, _l("Press 9: languages")),
    transition(
        "make_complaint", "main_menu", "what_happened", PERSON, _l("Press 1: make a complaint")
    ),
    transition("hear_case", "main_menu", "case_reference", PERSON, _l("Press 2: my case")),
    transition(
        "speak_to_someone",
        "main_menu",
        "forwarded",
        PERSON,
        _l("Press 3 in office hours: forwarded"),
        route=_in_office_hours,
    ),
    transition(
        "speak_to_someone",
        "main_menu",
        "team_message",
        PERSON,
        _l("Press 3 after hours: leave a message"),
        route=_after_hours,
    ),
    transition("record_message", "team_message", "ended", PERSON, _l("Leave the message")),
    # A complaint --------------------------------------------------------------------
    transition("record_story", "what_happened", "story_recorded", PERSON, _l("Say what happened")),
    transition("keep_story", "story_recorded", "where", PERSON, _l("Keep the recording")),
    transition("record_again", "story_recorded", "what_happened", PERSON, _l("Record it again")),
    transition("record_place", "where", "identity", PERSON, _l("Say where")),
    transition("answer_identity", "identity", "contact", PERSON, _l("Answer about identity")),
    transition("answer_contact", "contact", "reprisal", PERSON, _l("Answer about call-backs")),
    transition(
        "answer_reprisal",
        "reprisal",
        "filed",
        PERSON,
        _l("Answer about fear of reprisal: files the grievance"),
    ),
    transition("finish", ("filed", "case_pin", "case_open"), "ended", PERSON, _l("Done: goodbye")),
    # Hearing about a case -----------------------------------------------------------
    transition("give_reference", "case_reference", "case_pin", PERSON, _l("Type the case number")),
    transition(
        "give_pin", "case_pin", "case_open", PERSON, _l("Type the right PIN"), route=_opened
    ),
    transition(
        "give_pin",
        "case_pin",
        "case_reference",
        PERSON,
        _l("Type a wrong PIN: again"),
        route=_wrong_pin_called_in,
    ),
    transition(
        "give_pin",
        "case_pin",
        "case_pin",
        PERSON,
        _l("Type a wrong PIN on a call-back: the PIN again"),
        route=_wrong_pin_called_back,
    ),
    transition("answer_proposal", "case_open", "proposal", PERSON, _l("Answer the proposal")),
    transition("accept_proposal", "proposal", "ended", PERSON, _l("Accept the proposal")),
    transition(
        "decline_proposal", "proposal", "decline_reason", PERSON, _l("Decline the proposal")
    ),
    transition("give_decline_reason", "decline_reason", "ended", PERSON, _l("Say why")),
    transition("answer_check_in", "case_open", "check_in", PERSON, _l("Answer the check-in")),
    transition("confirm_delivery", "check_in", "ended", PERSON, _l("Press 1: it arrived")),
    transition(
        "report_gap", "check_in", "missing", PERSON, _l("Press 2 or 3: partly or not at all")
    ),
    transition("tell_missing", "missing", "ended", PERSON, _l("Say what is missing")),
    transition(
        "answer_question", "case_open", "question", PERSON, _l("Answer the team's question")
    ),
    transition("record_answer", "question", "ended", PERSON, _l("Record the answer")),
    transition("appeal", "case_open", "appeal_reason", PERSON, _l("Appeal the decision")),
    transition("give_appeal_reason", "appeal_reason", "ended", PERSON, _l("Say why")),
    transition("withdraw_mandate", "case_open", "withdraw", PERSON, _l("Withdraw an organisation")),
    transition("choose_organisation", "withdraw", "ended", PERSON, _l("Choose which")),
    transition(
        "answer_consent", "case_open", "consent", PERSON, _l("Answer about an organisation")
    ),
    transition("give_consent", "consent", "ended", PERSON, _l("Press 1 yes or 2 no")),
    transition(
        "contest",
        "case_open",
        "contest_which",
        PERSON,
        _l("Contest how an organisation is involved: choose which"),
        route=_several_choices,
    ),
    transition(
        "contest",
        "case_open",
        "contest_reason",
        PERSON,
        _l("Contest how the one organisation is involved"),
        route=_one_choice,
    ),
    transition("choose_track", "contest_which", "contest_reason", PERSON, _l("Choose which")),
    transition("give_contest_reason", "contest_reason", "ended", PERSON, _l("Say why")),
    transition(
        "explain",
        "case_open",
        "explain_which",
        PERSON,
        _l("Ask why an automated decision was made: choose which"),
        route=_several_choices,
    ),
    transition(
        "explain",
        "case_open",
        "explain_reason",
        PERSON,
        _l("Ask why the one organisation's automated decision was made"),
        route=_one_choice,
    ),
    transition("choose_track", "explain_which", "explain_reason", PERSON, _l("Choose which")),
    transition(
        "give_explain_reason",
        "explain_reason",
        "ended",
        PERSON,
        _l("Say what to explain, or press the hash key"),
    ),
    transition(
        "answer_fairness",
        "case_open",
        "fairness",
        PERSON,
        _l("Say how fair the handling of the case was"),
    ),
    transition("give_fairness", "fairness", "fairness_comment", PERSON, _l("Press 1 to 5")),
    transition(
        "fairness_closed", "fairness", "ended", PERSON, _l("Press 1 to 5: closed meanwhile")
    ),
    transition(
        "give_fairness_comment",
        "fairness_comment",
        "ended",
        PERSON,
        _l("Say a comment, or press the hash key"),
    ),
    # Calls the mechanism places (call-backs) --------------------------------------------
    transition(
        "call_with_news",
        "language",
        "case_pin",
        SYSTEM,
        _l("A call-back with news: the PIN first, then the news and the case"),
    ),
    transition(
        "call_back",
        "language",
        "main_menu",
        SYSTEM,
        _l("A call-back after a missed call: the main menu"),
    ),
    # Twilio says the call is over -----------------------------------------------------
    transition("hang_up", UNDER_WAY, "ended", SYSTEM, _l("The caller hung up")),
)

CALL = Workflow(
    name="call",
    title=_l("Voice call"),
    states=STATES,
    transitions=TRANSITIONS,
    initial="language",
)
