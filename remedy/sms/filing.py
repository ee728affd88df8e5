"""The filing conversation, one question a message: language, what happened, where,
identity, fear of reprisal, contact; the last answer files the grievance through
``submit_grievance`` and the reply gives its reference and PIN.

A first message that tells something already is kept as the start of the story; a
greeting chooses the language; a number heard before keeps its language. A number whose
last draft expired unfinished a few days ago is first asked whether to go on with it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.filing.grievances import (
    MAX_LOCATION_LENGTH,
    GrievanceForm,
    PersonDetails,
    submit_grievance,
)
from remedy.messaging import sms_texts
from remedy.models.conversation import Conversation
from remedy.models.grievance import ReprisalRisk
from remedy.models.inbound_message import InboundMedia
from remedy.sms.drafts import add_to_story, fire, offerable_draft
from remedy.sms.keywords import (
    Keyword,
    choice,
    done,
    fold,
    greeting_language,
    language_choice,
    yes_no,
)
from remedy.sms.turn import Turn, autoflush
from remedy.workflows.conversation import CONVERSATION

QUESTION_TEXT: dict[str, LazyString] = {
    "what_happened": sms_texts.WHAT_HAPPENED,
    "where": sms_texts.WHERE,
    "identity": sms_texts.IDENTITY,
    "reprisal": sms_texts.REPRISAL,
    "contact": sms_texts.CONTACT,
}
# The steps that answer with a number from a menu (not a check-in's answer).
NUMBERED_STATES = frozenset({"language", "identity", "reprisal", "contact", "resume_offered"})
GO_ON, START_AGAIN = 1, 2
# A first message of fewer words is a greeting, not the start of a story.
STORY_MIN_WORDS = 3


def new_conversation(turn: Turn) -> Conversation:
    conversation = Conversation(
        phone_hash=turn.phone_hash,
        open_key=turn.phone_hash,
        phone=turn.e164,
        channel=turn.message.channel,
        state=CONVERSATION.initial,
        started_at=turn.now,
        last_message_at=turn.now,
    )
    db.session.add(conversation)
    return conversation


def known_language(turn: Turn) -> str | None:
    """The language this number used before: its person's, or its last conversation's."""
    if turn.person is not None and turn.person.language in turn.languages:
        return turn.person.language
    language = db.session.scalar(
        select(Conversation.language)
        .where(Conversation.phone_hash.in_(turn.hashes), Conversation.language.is_not(None))
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    return language if language in turn.languages else None


def begin(turn: Turn) -> str:
    """A first message: a greeting chooses its language; a number heard before keeps
    its language; otherwise the menu. A first message that already tells something is
    kept as the start of the story. An unfinished draft of a few days ago is offered first."""
    draft = offerable_draft(turn.hashes, turn.now)
    if draft is not None:
        return offer_draft(turn, draft)
    conversation = turn.conversation = new_conversation(turn)
    greeted = greeting_language(turn.body)
    if greeted is not None and greeted not in turn.languages:
        greeted = None
    if greeted is None and tells_something(turn):
        conversation.description = turn.kept_body
    if greeted is not None and turn.person is not None:
        turn.person.language = greeted
    language = greeted or known_language(turn)
    if language is None:
        return language_menu()
    conversation.language = language
    fire(conversation, "choose_language", turn.now)
    if conversation.description:
        return turn.say(sms_texts.MORE)
    return turn.say(sms_texts.WHAT_HAPPENED)


def set_language(turn: Turn, conversation: Conversation, language: str) -> str:
    conversation.language = language
    if conversation.state == "language":
        fire(conversation, "choose_language", turn.now)
        conversation.resume_state = None
    return ask(turn, conversation)


def ask(turn: Turn, conversation: Conversation, again: bool = False) -> str:
    question = QUESTION_TEXT[conversation.state]
    if again:
        return turn.say(sms_texts.NOT_UNDERSTOOD, question)
    return turn.say(question)


def step(turn: Turn, conversation: Conversation) -> str:
    state = conversation.state
    if state == "language":
        chosen = language_choice(turn.body, turn.languages)
        if chosen is None:
            if tells_something(turn):
                keep(turn, conversation)  # telling already: nothing is lost
            return language_menu(again=True)
        if turn.person is not None:
            turn.person.language = chosen
        return set_language(turn, conversation, chosen)
    if state == "what_happened":
        return tell(turn, conversation)
    if state == "where":
        return place(turn, conversation)
    if state in ("identity", "reprisal", "contact"):
        return answer_yes_no(turn, conversation)
    if state == "resume_offered":
        return answer_offer(turn, conversation)
    raise AssertionError(f"an open conversation in state {state}")


def answer_yes_no(turn: Turn, conversation: Conversation) -> str:
    """Identity, fear of reprisal, contact: a yes or a no, kept; the last one files."""
    answer = yes_no(turn.body)
    if answer is None:
        return ask(turn, conversation, again=True)
    if conversation.state == "identity":
        conversation.identity_withheld = not answer
        fire(conversation, "answer_identity", turn.now)
    elif conversation.state == "reprisal":
        conversation.reprisal_feared = answer
        fire(conversation, "answer_reprisal", turn.now)
    else:
        conversation.contact_consent = answer
        return file(turn, conversation)
    return ask(turn, conversation)


def tell(turn: Turn, conversation: Conversation) -> str:
    if done(turn.body):
        if not conversation.description and not has_media(turn, conversation):
            return turn.say(sms_texts.NOTHING_YET)
        fire(conversation, "finish_story", turn.now)
        return ask(turn, conversation)
    if not turn.body:
        return turn.say(sms_texts.MORE if turn.message.media else sms_texts.WHAT_HAPPENED)
    if not keep(turn, conversation):
        turn.inbound.body = None
        return turn.say(sms_texts.STORY_FULL)
    return turn.say(sms_texts.MORE)


def keep(turn: Turn, conversation: Conversation) -> bool:
    """Add the message to the story; False when the story has no room left."""
    return add_to_story(conversation, turn.kept_body)


def tells_something(turn: Turn) -> bool:
    """A message of a few words at least: the start or more of a story, not a greeting."""
    return len(fold(turn.body).split()) >= STORY_MIN_WORDS


def offer_draft(turn: Turn, draft: Conversation) -> str:
    """The number's draft expired unfinished: reopened, with "1 go on, 2 start again".
    A message that tells something waits for the answer, to join the chosen draft."""
    turn.conversation = draft
    fire(draft, "offer_resume", turn.now)
    draft.last_message_at = turn.now
    hold(turn, draft)
    return turn.say(sms_texts.RESUME_OFFER)


def hold(turn: Turn, draft: Conversation) -> None:
    if tells_something(turn) and greeting_language(turn.body) is None:
        old = draft.waiting_text
        draft.waiting_text = f"{old}\n{turn.kept_body}" if old else turn.kept_body


def answer_offer(turn: Turn, draft: Conversation) -> str:
    """1 goes on where the draft stopped; 2 sets it aside (kept for the team) and starts
    a new conversation in the same language. What waited joins the chosen story."""
    picked = choice(turn.body, 2)
    if picked == GO_ON:
        told_more = bool(draft.waiting_text)
        go_on(draft, turn.now)
        if draft.state == "language":
            return language_menu()
        if told_more and draft.state == "what_happened":
            return turn.say(sms_texts.MORE)
        return ask(turn, draft)
    if picked == START_AGAIN:
        waiting, draft.waiting_text = draft.waiting_text, None
        fire(draft, "start_again", turn.now)
        db.session.flush()  # frees the number's open slot for the new conversation
        conversation = turn.conversation = new_conversation(turn)
        conversation.description = waiting
        if draft.language is None:
            return language_menu()
        conversation.language = draft.language
        fire(conversation, "choose_language", turn.now)
        return turn.say(sms_texts.MORE if waiting else sms_texts.WHAT_HAPPENED)
    hold(turn, draft)
    return turn.say(sms_texts.NOT_UNDERSTOOD, sms_texts.RESUME_OFFER)


def go_on(draft: Conversation, now: datetime) -> None:
    """Back to the step where the draft stopped; what waited joins its story."""
    fire(draft, "resume", now)
    draft.resume_state = None
    add_to_story(draft, draft.waiting_text or "")
    draft.waiting_text = None


def has_media(turn: Turn, conversation: Conversation) -> bool:
    if turn.message.media:
        return True
    return bool(
        db.session.scalar(
            select(func.count()).where(InboundMedia.conversation_id == conversation.id)
        )
    )


def place(turn: Turn, conversation: Conversation) -> str:
    if not turn.body or fold(turn.body) == "0":
        return ask(turn, conversation, again=not turn.message.media)
    if len(turn.body) > MAX_LOCATION_LENGTH:
        turn.inbound.body = None
        return turn.say(sms_texts.PLACE_TOO_LONG)
    conversation.location = turn.kept_body
    fire(conversation, "give_place", turn.now)
    return ask(turn, conversation)


def file(turn: Turn, conversation: Conversation) -> str:
    """The last answer: the grievance is filed; the reply gives reference and PIN."""
    language = conversation.language or turn.language
    description = conversation.description
    if not description:
        with force_locale(settings().default_language):
            description = _("Told only in the photos or recordings attached.")
    form = GrievanceForm(
        channel=conversation.channel,
        language=language,
        description=description,
        location=conversation.location,
        identity_withheld=bool(conversation.identity_withheld),
        contact_consent=bool(conversation.contact_consent),
        # "Afraid" is the web's high risk: messages to the phone become discreet.
        reprisal_risk=ReprisalRisk.HIGH if conversation.reprisal_feared else ReprisalRisk.NONE,
        complainant=PersonDetails(phone=conversation.phone, language=language),
    )
    with autoflush():
        submitted = submit_grievance(Actor(ActorKind.COMPLAINANT), form)
    conversation.grievance_id = submitted.grievance.id
    fire(conversation, "answer_contact", turn.now)
    for media in db.session.scalars(
        select(InboundMedia).where(InboundMedia.conversation_id == conversation.id)
    ):
        media.grievance_id = submitted.grievance.id
    turn.inbound.reply_holds_pin = True
    return turn.say(
        sms_texts.FILED,
        reference=display(submitted.grievance.reference),
        pin=submitted.pin,
        status=turn.keyword(Keyword.STATUS),
    )


def language_menu(again: bool = False) -> str:
    """The language menu: each language's name in itself, the line above in the
    mechanism's default language (nobody's language is known yet)."""
    names = settings().languages
    with force_locale(settings().default_language):
        header = str(sms_texts.LANGUAGE_MENU)
        if again:
            header = f"{sms_texts.NOT_UNDERSTOOD} {header}"
    lines = [f"{number} {name}" for number, name in enumerate(names.values(), 1)]
    return "\n".join([header, *lines])
