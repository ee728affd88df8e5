"""Queue the messages a workflow step owes people: exactly one per recipient per event.

Recipients are the grievance's people who receive messages, each on their own
channel (their phone by SMS or WhatsApp when they consented to contact, a call when
they filed by phone call and may be called back, else the web status page), plus
proxy organisations whose valid mandate says they receive messages. The outbox row's
``dedupe_key`` is unique, so a second message for the same recipient and event cannot
be written.

A message to a phone that asks something (a question, a proposal, a check-in, an
appeal offered) opens an ask for that number (:mod:`remedy.cases.asks`), so the SMS
answer reaches the step. When a person takes a step by SMS, the reply to their message
is the acknowledgement: the step's own thank-you to that person is kept for the web
status page only (:func:`answered_in_reply`), so they never get two.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from remedy.cases import people_texts
from remedy.cases.asks import ASKING_TEMPLATES, asked_by
from remedy.cases.message_context import answering_person, in_language
from remedy.cases.representation import mandates_receiving_messages
from remedy.core.extensions import db
from remedy.core.numbers import isolate_numbers
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.messaging.remedy_words import RemedyWords
from remedy.messaging.sms_texts import phone_date
from remedy.messaging.templates import DISCREET, PHONE_TEMPLATES, STAFF_TEMPLATES, TEMPLATES
from remedy.messaging.whatsapp_templates import DISCREET_KIND, recorded_variables
from remedy.messaging.words import NO_WORDS, Keyword, first_word, primary
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Channel, Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.person import Person
from remedy.models.user import Role, User

PHONE_CHANNELS = frozenset({MessageChannel.SMS, MessageChannel.WHATSAPP, MessageChannel.VOICE})
# What a step says back to the person who took it: when they took it by SMS, the reply
# to their message says it already.
ACKNOWLEDGEMENTS = frozenset(
    {
        "info_received",
        "proposal_accepted",
        "proposal_declined",
        "appeal_received",
        "classification_contested",
        "explanation_requested",
        "remedied",
        "partly_remedied",
        "disputed",
        "reopened",
        "follow_up_noted",
    }
)


class WebOnly(enum.StrEnum):
    """Why a person's messages wait on the web status page instead of going to a phone."""

    NO_PHONE = "no_phone"
    OPTED_OUT = "opted_out"
    NO_CONSENT = "no_consent"
    ASKED_FOR_CALL = "asked_for_call"

    @property
    def label(self) -> str:
        return str(WEB_ONLY_LABELS[self])


WEB_ONLY_LABELS: dict[WebOnly, LazyString] = {
    WebOnly.NO_PHONE: _l("no phone number is recorded"),
    WebOnly.OPTED_OUT: _l("they sent STOP: no SMS until START"),
    WebOnly.NO_CONSENT: _l("they did not agree to be contacted on their phone"),
    WebOnly.ASKED_FOR_CALL: _l("they asked to be called, not written to"),
}


@dataclass(frozen=True)
class Recipient:
    key: str
    channel: MessageChannel
    language: str
    address: str | None = None
    person: Person | None = None
    organisation_id: int | None = None
    # A person on the web only: why their phone gets nothing.
    web_only: WebOnly | None = None


def recipients(grievance: Grievance) -> list[Recipient]:
    receiving = mandates_receiving_messages(grievance)
    found: list[Recipient] = []
    for link in grievance.people:
        # A person whose messages go to a proxy gets them again once no valid mandate
        # carries them (ended by date, withdrawn): nobody is left without news of their case.
        represented = any(m.person_id in (None, link.person_id) for m in receiving)
        if not link.receives_messages and represented:
            continue
        person = link.person
        language = person.language or grievance.language
        asked = grievance.contact_channel or grievance.channel
        key = f"p{person.id}"
        web_only = _web_only(grievance, person, asked)
        if web_only is None:
            channel = _phone_channel(asked)
            found.append(Recipient(key, channel, language, person.phone, person))
        else:
            found.append(Recipient(key, MessageChannel.WEB, language, None, person, None, web_only))
    for mandate in receiving:
        key = f"o{mandate.organisation_id}"
        if all(existing.key != key for existing in found):
            found.append(
                Recipient(
                    key,
                    MessageChannel.WEB,
                    grievance.language,
                    organisation_id=mandate.organisation_id,
                )
            )
    return found


def _phone_channel(asked: Channel) -> MessageChannel:
    if asked is Channel.VOICE:
        return MessageChannel.VOICE
    return MessageChannel.WHATSAPP if asked is Channel.WHATSAPP else MessageChannel.SMS


def _web_only(grievance: Grievance, person: Person, asked: Channel) -> WebOnly | None:
    """Why the person's messages cannot go to their phone; None when they can."""
    if not person.phone:
        return WebOnly.NO_PHONE
    if asked is Channel.VOICE and "voice" in settings().channels:
        # Called back (``remedy.voice.callbacks``): STOP ends texts, not calls.
        return None if grievance.contact_consent else WebOnly.NO_CONSENT
    # Someone who sent STOP gets no SMS or WhatsApp message until START.
    if person.phone_opted_out_at is not None:
        return WebOnly.OPTED_OUT
    if not grievance.contact_consent:
        return WebOnly.NO_CONSENT
    # Someone who asked for a call, where this mechanism places no calls (the voice
    # channel is off): their messages wait on the web status page.
    if asked is Channel.VOICE:
        return WebOnly.ASKED_FOR_CALL
    return None


def _format(template: Any, values: dict[str, Any]) -> str:
    return str(template) % values


# Free text that the templates follow with their own full stop ("Why: %(reason)s."): the
# writer's own stop is dropped, so the person never reads "mechanism..".
ENDS_A_SENTENCE = frozenset({"reason"})


def _without_full_stop(text: str) -> str:
    text = text.rstrip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def render(
    template_key: str,
    language: str,
    discreet: bool,
    values: dict[str, Any],
    phone: bool = False,
) -> str:
    """The message in ``language``; ``phone`` for the wording that says how to answer by SMS."""
    with force_locale(language):
        if discreet:
            return str(DISCREET)
        shown = shown_values(language, values)
        template = (PHONE_TEMPLATES.get(template_key) if phone else None) or TEMPLATES[template_key]
        # An empty value (no remedy to name) leaves no double space behind.
        return re.sub(r" {2,}", " ", _format(template, shown))


def shown_values(language: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values as the reader reads them, with the defaults every template may name
    (inside ``force_locale(language)``), each text in the reader's language if written so."""
    shown = isolate_numbers(
        {key: _shown(value, language) for key, value in in_language(values, language).items()},
        language,
    )
    for key in ENDS_A_SENTENCE & shown.keys():
        if isinstance(shown[key], str):
            shown[key] = _without_full_stop(shown[key])
    shown.setdefault("date", _("soon"))
    shown.setdefault("appeal_days", settings().appeal_window.days)
    shown.setdefault("appeal", primary(Keyword.APPEAL, language))
    shown.setdefault("no", first_word(NO_WORDS, language))
    shown.setdefault("remedy", "")
    return shown


def _shown(value: Any, language: str) -> Any:
    """Values as the recipient reads them: dates and labels in their own language (dates
    in a form that keeps a GSM-7 language's message in GSM-7, see ``phone_date``)."""
    if isinstance(value, datetime):
        return phone_date(value, language)
    if isinstance(value, enum.Enum) and hasattr(value, "label"):
        return value.label
    return value


def notify_people(
    grievance: Grievance,
    template_key: str,
    event: str,
    values: dict[str, Any] | None = None,
    track: InvolvementTrack | None = None,
) -> list[OutboxMessage]:
    """Queue ``template_key`` for every recipient; ``event`` names this occurrence uniquely.
    ``track``: the track the step is about (its remedy is named, its answer awaited)."""
    return [
        _queue(grievance, template_key, event, recipient, values or {}, track)
        for recipient in recipients(grievance)
    ]


def _acknowledged_in_reply(template_key: str, recipient: Recipient) -> bool:
    answering = answering_person()
    return (
        answering is not None
        and template_key in ACKNOWLEDGEMENTS
        and recipient.person is not None
        and recipient.person.id == answering
    )


def _queue(
    grievance: Grievance,
    template_key: str,
    event: str,
    recipient: Recipient,
    values: dict[str, Any],
    track: InvolvementTrack | None = None,
    check_in: CheckIn | None = None,
) -> OutboxMessage:
    base = {"reference": display(grievance.reference), **values}
    about = track or (check_in.track if check_in is not None else None)
    track_id = about.id if about is not None else None
    if track is not None:
        actions = track.remedy_actions
        base.setdefault("remedy", RemedyWords.of(actions, people_texts.descriptions(actions)))
    if _acknowledged_in_reply(template_key, recipient):
        recipient = Recipient(
            recipient.key, MessageChannel.WEB, recipient.language, person=recipient.person
        )
    phone = recipient.channel in PHONE_CHANNELS
    # A call reads nothing before the PIN is typed: its words are whole, and kept in SMS
    # wording too (discreet when the case is) for the SMS sent if no call is heard.
    call = recipient.channel is MessageChannel.VOICE
    discreet = grievance.discreet_messages and phone and not call
    if discreet:
        # The phone only hears that there is news; the words themselves (a reason, where
        # else to turn) wait on the status page behind the PIN, never lost.
        db.session.add(
            OutboxMessage(
                dedupe_key=f"{event}:{recipient.key}:web",
                grievance_id=grievance.id,
                person_id=recipient.person.id if recipient.person else None,
                organisation_id=recipient.organisation_id,
                track_id=track_id,
                channel=MessageChannel.WEB,
                language=recipient.language,
                template=template_key,
                body=render(template_key, recipient.language, False, base),
                status=MessageStatus.STORED,
            )
        )
    message = OutboxMessage(
        dedupe_key=f"{event}:{recipient.key}",
        grievance_id=grievance.id,
        person_id=recipient.person.id if recipient.person else None,
        organisation_id=recipient.organisation_id,
        track_id=track_id,
        channel=recipient.channel,
        address=recipient.address,
        language=recipient.language,
        template=template_key,
        body=render(template_key, recipient.language, discreet, base, phone=phone and not call),
        sms_body=(
            render(template_key, recipient.language, grievance.discreet_messages, base, True)
            if call
            else None
        ),
        status=MessageStatus.PENDING if phone else MessageStatus.STORED,
    )
    if recipient.channel is MessageChannel.WHATSAPP:  # for a template (docs/whatsapp.md)
        message.kind = DISCREET_KIND if discreet else template_key
        with force_locale(recipient.language):
            shown = {} if discreet else shown_values(recipient.language, base)
            message.variables = recorded_variables(message.kind, shown)
    db.session.add(message)
    # While contact is held the message waits unsent, and asks nothing yet
    # (``contact_hold`` opens its ask if the message is sent when the hold is lifted).
    if phone and recipient.person is not None and grievance.contact_held_since is None:
        # A discreet phone keeps the words, encrypted, for STATUS with the PIN to show.
        held = (
            render(template_key, recipient.language, False, base, phone=True)
            if grievance.discreet_messages and template_key in ASKING_TEMPLATES
            else None
        )
        asked_by(template_key, message, recipient.person, grievance, track, check_in, held)
    return message


def notify_recipient(
    grievance: Grievance, template_key: str, event: str, check_in: CheckIn
) -> OutboxMessage | None:
    """Queue one message for the recipient of a check-in (follow-ups open one by one)."""
    for recipient in recipients(grievance):
        person_match = recipient.person is not None and recipient.person.id == check_in.person_id
        org_match = (
            recipient.organisation_id is not None
            and recipient.organisation_id == check_in.proxy_organisation_id
        )
        if person_match or org_match:
            return _queue(grievance, template_key, event, recipient, {}, check_in.track, check_in)
    return None


def notify_staff(
    grievance: Grievance,
    template_key: str,
    event: str,
    roles: tuple[Role, ...] = (Role.SUPERVISOR,),
    organisation_id: int | None = None,
    values: dict[str, Any] | None = None,
) -> list[OutboxMessage]:
    """Console alerts for the team (mechanism staff, or one organisation's staff)."""
    query = select(User).where(User.role.in_(roles), User.active)
    query = query.where(
        User.organisation_id.is_(None)
        if organisation_id is None
        else (User.organisation_id == organisation_id) | User.organisation_id.is_(None)
    )
    base = {"reference": display(grievance.reference), **(values or {})}
    queued = []
    language = settings().default_language
    for user in db.session.scalars(query):
        with force_locale(language):
            body = _format(STAFF_TEMPLATES[template_key], base)
        message = OutboxMessage(
            dedupe_key=f"{event}:u{user.id}",
            grievance_id=grievance.id,
            user_id=user.id,
            channel=MessageChannel.CONSOLE,
            language=language,
            template=template_key,
            body=body,
            status=MessageStatus.STORED,
        )
        db.session.add(message)
        queued.append(message)
    return queued
