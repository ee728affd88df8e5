"""Staff replies to the people of a case, through the outbox like every other message.

The team writes its own words or picks a canned reply; a canned reply left as it is
goes to each recipient in their own language. Nothing is sent inside the request:
one outbox row per recipient, written with the audit event in one unit of work.
In discreet mode (reprisal risk or a withheld identity) a phone only hears that there
is news; the reply itself waits on the web status page, which needs the PIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString, force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.audit import log as audit
from remedy.cases.notify import PHONE_CHANNELS, Recipient, WebOnly, recipients
from remedy.cases.policy import party_includes
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_change
from remedy.messaging.segments import SegmentInfo, segments
from remedy.messaging.templates import DISCREET
from remedy.models.grievance import Grievance
from remedy.models.organisation import Organisation
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.workflows.definition import MandateScope, Party

MAX_REPLY = 1600  # the most Twilio accepts in one message (ten segments of GSM-7)
TEMPLATE_NAME = "staff_reply"

# Canned replies, in the recipient's language; placeholders: reference.
REPLY_TEMPLATES: dict[str, LazyString] = {
    "received": _l("Case %(reference)s: we received your message. Thank you."),
    "more_information": _l(
        "Case %(reference)s: we need more information about what happened. Please reply to "
        "this message."
    ),
    "will_call": _l("Case %(reference)s: we will call you in the next few days."),
    "still_working": _l(
        "Case %(reference)s: we are still working on your case. We will write again soon."
    ),
}
# What the team sees in the template list, in its own language.
REPLY_TEMPLATE_TITLES: dict[str, LazyString] = {
    "received": _l("We received your message"),
    "more_information": _l("We need more information"),
    "will_call": _l("We will call you"),
    "still_working": _l("We are still working on it"),
}


@dataclass(frozen=True)
class ReplyPreview:
    """What the reply will look like on the complainant's phone."""

    body: str
    language: str
    segments: SegmentInfo
    discreet: bool
    discreet_body: str | None
    recipients: int


BY_PHONE: dict[MessageChannel, LazyString] = {
    MessageChannel.SMS: _l("by SMS"),
    MessageChannel.WHATSAPP: _l("by WhatsApp"),
    MessageChannel.VOICE: _l("by a phone call, once they type their PIN"),
}


def _discreet_on(grievance: Grievance, channel: MessageChannel) -> bool:
    """A discreet case's texts only say there is news; a call reads nothing before the PIN."""
    return (
        grievance.discreet_messages
        and channel in PHONE_CHANNELS
        and channel is not MessageChannel.VOICE
    )


@dataclass(frozen=True)
class Reach:
    """How a reply reaches one recipient. Built from ``notify.recipients``, which decides
    what is queued, so the composer's words and the outbox can never disagree."""

    who: str  # a person's pseudonym, or a proxy organisation's name
    channel: MessageChannel
    web_only: WebOnly | None
    discreet: bool
    organisation: bool = False

    @property
    def by_phone(self) -> bool:
        """Whether the words themselves reach their phone."""
        return self.channel in PHONE_CHANNELS and not self.discreet

    @property
    def words(self) -> str:
        if self.organisation:
            return _("in their proxy portal")
        if self.web_only is not None:
            return _("only on the status page (web): %(why)s", why=self.web_only.label)
        if self.discreet:
            return _(
                "only on the status page (web): discreet messages are on, their phone will "
                "only hear there is news"
            )
        return str(BY_PHONE.get(self.channel, self.channel.value))


def reach(grievance: Grievance) -> list[Reach]:
    """Who a reply would reach now, and how."""
    found = []
    for recipient in recipients(grievance):
        if recipient.person is not None:
            who = recipient.person.pseudonym
        else:
            organisation = db.session.get(Organisation, recipient.organisation_id)
            who = organisation.name if organisation is not None else "–"
        discreet = _discreet_on(grievance, recipient.channel)
        found.append(
            Reach(
                who,
                recipient.channel,
                recipient.web_only,
                discreet,
                organisation=recipient.person is None,
            )
        )
    return found


def sent_words(reached: list[Reach]) -> str:
    """What the team is told once the reply is queued: "on its way" only to phones."""
    people = [item for item in reached if not item.organisation]
    phones = sum(item.by_phone for item in people)
    web = ", ".join(item.who for item in people if not item.by_phone)
    if phones:
        said = ngettext(
            "The reply is on its way to %(num)d phone.",
            "The reply is on its way to %(num)d phones.",
            phones,
        )
    else:
        said = _("The reply was saved; it reaches no phone.")
    if web:
        said += " " + _(
            "Only on the status page (web), nothing by phone, for: %(people)s.", people=web
        )
    return said


def may_reply(actor: Actor, grievance: Grievance) -> bool:
    """The mechanism's case workers speak to the people; organisations go through them."""
    return may_change(actor) and party_includes(
        Party.TEAM, actor, grievance, None, MandateScope.FOLLOW
    )


def canned(template: str, language: str, grievance: Grievance) -> str:
    if template not in REPLY_TEMPLATES:
        raise InvalidInput(_("Choose one of the listed replies."), "template")
    with force_locale(language):
        return str(REPLY_TEMPLATES[template]) % {"reference": display(grievance.reference)}


def _clean(body: str | None) -> str:
    text = (body or "").replace("\r\n", "\n").strip()
    text = "".join(char for char in text if char == "\n" or char.isprintable())
    if len(text) > MAX_REPLY:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_REPLY), "body")
    return text


def _discreet_text(language: str) -> str:
    with force_locale(language):
        return str(DISCREET)


def preview(grievance: Grievance, body: str | None, template: str | None) -> ReplyPreview:
    """The text in the complainant's language (a canned reply fills an empty box)."""
    text = _clean(body)
    if not text and template:
        text = canned(template, grievance.language, grievance)
    people = recipients(grievance)
    return ReplyPreview(
        body=text,
        language=grievance.language,
        segments=segments(text),
        discreet=grievance.discreet_messages,
        discreet_body=_discreet_text(grievance.language) if grievance.discreet_messages else None,
        recipients=len(people),
    )


def _row(
    grievance: Grievance,
    recipient: Recipient,
    key: str,
    channel: MessageChannel,
    body: str,
    sms_body: str | None = None,
) -> OutboxMessage:
    phone = channel in PHONE_CHANNELS
    message = OutboxMessage(
        dedupe_key=key,
        grievance_id=grievance.id,
        person_id=recipient.person.id if recipient.person else None,
        organisation_id=recipient.organisation_id,
        channel=channel,
        address=recipient.address if phone else None,
        language=recipient.language,
        template=TEMPLATE_NAME,
        body=body,
        sms_body=sms_body,
        status=MessageStatus.PENDING if phone else MessageStatus.STORED,
    )
    db.session.add(message)
    return message


@transactional
def send_reply(
    actor: Actor, grievance: Grievance, body: str | None, template: str | None = None
) -> list[OutboxMessage]:
    """Queue the reply for every recipient; returns the rows written."""
    if not may_reply(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    text = _clean(body)
    if template and template not in REPLY_TEMPLATES:
        raise InvalidInput(_("Choose one of the listed replies."), "template")
    if not text and not template:
        raise InvalidInput(_("Write the reply or choose one of the listed replies."), "body")
    if template and text == canned(template, grievance.language, grievance):
        text = ""  # previewed but left unchanged: still each person's own language
    people = recipients(grievance)
    if not people:
        raise InvalidInput(_("Nobody on this case receives messages."), "body")
    event = audit.record(
        actor,
        "reply.send",
        "grievance",
        grievance.reference,
        after={"template": template if not text else None, "recipients": len(people)},
    )
    written = []
    for recipient in people:
        words = text or canned(str(template), recipient.language, grievance)
        key = f"r{event.seq}:{recipient.key}"
        if recipient.channel is MessageChannel.VOICE:
            # Read once the PIN is typed; an SMS if no call is heard (discreet if the case is).
            texted = _discreet_text(recipient.language) if grievance.discreet_messages else words
            written.append(_row(grievance, recipient, key, recipient.channel, words, texted))
        elif _discreet_on(grievance, recipient.channel):
            notice = _discreet_text(recipient.language)
            written.append(_row(grievance, recipient, key, recipient.channel, notice))
            written.append(_row(grievance, recipient, f"{key}:web", MessageChannel.WEB, words))
        else:
            written.append(_row(grievance, recipient, key, recipient.channel, words))
    db.session.flush()
    return written
