"""The SMS simulator: staff type as a phone would and see what Remedy answers.

It drives the same path as Twilio's webhook (no signature, no HTTP round trip):
the message is stored in the inbox, then that number's pending messages are handled
at once with the worker's own function, so a trainer or a newcomer sees exactly
what a complainant sees: the replies and the messages the outbox queued for that
number (the worker sends them as usual). Grievances
filed here are real grievances of this database: train on a training
installation.

The phone numbers are UK "drama" numbers (+44 7700 900000 to 900999), which
Ofcom keeps out of service for fiction: no real person can own one, so this page
can never show someone's real messages. The side list shows conversations that
ended without filing (their drafts are kept), to the mechanism's case workers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from remedy.auth.sessions import roles_required
from remedy.console.views import NAV, STAFF, NavLink, console_navigation
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.identity.visibility import may_change
from remedy.models.grievance import Channel
from remedy.models.inbound_message import InboundMedia
from remedy.models.outbox_message import OutboxMessage, reply_key
from remedy.models.person import Person
from remedy.models.user import Role
from remedy.sms.drafts import unfinished_drafts
from remedy.sms.inbound import MAX_MESSAGE, InboundText, phone_hashes, transcript
from remedy.sms.inbox import accept, failed, process_pending, retry
from remedy.workflows.conversation import CONVERSATION

bp = Blueprint("simulator", __name__, url_prefix="/console/simulator")
bp.context_processor(console_navigation)
NAV.append(NavLink("simulator", _l("SMS simulator"), "simulator.page", mechanism_only=True))

# Ofcom's numbers for drama: never in service.
FICTIONAL_PREFIX = "+447700900"
# Who reads unfinished drafts: the mechanism's own case workers (drafts may tell who wrote).
DRAFT_READERS = (Role.SUPERVISOR, Role.HANDLER, Role.PROTECTION_OFFICER)


class SimulatorForm(FlaskForm):
    number = StringField(
        _l("Phone: +44 7700 900 and three digits"),
        validators=[DataRequired(), Regexp(r"^[0-9]{3}$", message=_l("Three digits, please."))],
        default="001",
        render_kw={"inputmode": "numeric", "maxlength": "3", "autocomplete": "off"},
    )
    channel = RadioField(
        _l("Channel"),
        choices=[
            SelectChoice(Channel.SMS.value, _l("SMS")),
            SelectChoice(Channel.WHATSAPP.value, _l("WhatsApp")),
        ],
        default=Channel.SMS.value,
    )
    body = TextAreaField(
        _l("Message"),
        validators=[Length(max=MAX_MESSAGE)],
        render_kw={"rows": "3", "maxlength": str(MAX_MESSAGE)},
    )


@dataclass(frozen=True)
class Line:
    """One line of the phone's screen."""

    at: datetime
    side: str  # "in": typed on the phone; "reply": the webhook's answer; "out": the outbox
    text: str
    note: str = ""


def _phone(number: str) -> str:
    return FICTIONAL_PREFIX + number


def _note(queued: OutboxMessage) -> str:
    return f"{queued.channel.value} · {queued.status.value}"


def _screen(e164: str) -> list[Line]:
    lines: list[Line] = []
    messages = list(transcript(e164))
    replies = {
        queued.dedupe_key: queued
        for queued in db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.dedupe_key.in_([reply_key(message.id) for message in messages])
            )
        )
    }
    for message in messages:
        lines.append(Line(message.received_at, "in", message.body or ""))
        reply = replies.get(reply_key(message.id))
        if reply is not None:
            # Shown right under its message: the reply to it.
            lines.append(Line(message.received_at, "reply", reply.body, _note(reply)))
        elif message.reply:  # handled before the inbox, in its request
            lines.append(Line(message.received_at, "reply", message.reply))
    outbox = db.session.scalars(
        select(OutboxMessage)
        .join(Person, Person.id == OutboxMessage.person_id)
        .where(Person.phone_hash.in_(phone_hashes(e164)))
        .order_by(OutboxMessage.id.desc())
        .limit(50)
    ).all()
    for queued in outbox:
        if not queued.dedupe_key.startswith(reply_key(0)[:-1]):
            lines.append(Line(queued.created_at, "out", queued.body, _note(queued)))
    order = {"in": 0, "reply": 1, "out": 2}
    return sorted(lines, key=lambda line: (line.at, order[line.side]))


def _drafts() -> list[dict[str, Any]]:
    if current_user.role not in DRAFT_READERS or current_user.organisation_id is not None:
        return []
    drafts = unfinished_drafts()
    media = dict(
        db.session.execute(
            select(InboundMedia.conversation_id, func.count(InboundMedia.id))
            .where(InboundMedia.conversation_id.in_([draft.id for draft in drafts]))
            .group_by(InboundMedia.conversation_id)
        ).all()
    )
    return [
        {
            "draft": draft,
            "state": CONVERSATION.state(draft.state).label,
            "phone_end": draft.phone[-3:],
            "media": media.get(draft.id, 0),
        }
        for draft in drafts
    ]


def _page(form: SimulatorForm, status: int = 200) -> tuple[str, int]:
    number = form.number.data if form.number.data and not form.number.errors else "001"
    e164 = _phone(number)
    return (
        render_template(
            "console/simulator.html",
            form=form,
            phone=e164,
            lines=_screen(e164),
            drafts=_drafts(),
            failed=failed() if current_user.role is Role.SUPERVISOR else [],
            may_type=may_change(Actor.for_user(current_user)),
        ),
        status,
    )


@bp.before_request
def _mechanism_staff_only() -> None:
    """The simulated phones' screens show what they were sent, PINs included: the
    mechanism's own team only, never staff of an organisation a case may be about."""
    if current_user.is_authenticated and current_user.organisation_id is not None:
        abort(403)


@bp.get("/")
@roles_required(*STAFF)
def page() -> tuple[str, int]:
    form = SimulatorForm(formdata=None)
    number = request.args.get("number", "")
    if len(number) == 3 and number.isascii() and number.isdigit():
        form.number.data = number
    if request.args.get("channel") in (Channel.SMS.value, Channel.WHATSAPP.value):
        form.channel.data = request.args["channel"]
    return _page(form)


@bp.post("/")
@roles_required(*STAFF)
def send() -> Response | tuple[str, int]:
    """Type a message as the phone; the conversation answers as it would answer Twilio."""
    if not may_change(Actor.for_user(current_user)):
        abort(403)  # read-only roles file nothing, not even here
    form = SimulatorForm()
    if not form.validate():
        return _page(form, 400)
    stored = accept(
        InboundText(
            message_sid="SIM" + secrets.token_hex(16),
            sender=_phone(form.number.data),
            channel=Channel(form.channel.data),
            body=form.body.data or "",
        )
    )
    # As the worker would, now: the page shows the reply at once.
    process_pending(phone_hashes=[stored.phone_hash])
    return redirect(
        url_for(
            "simulator.page", number=form.number.data, channel=form.channel.data, _anchor="latest"
        )
    )


@bp.post("/inbox/<int:message_id>/retry")
@roles_required(Role.SUPERVISOR)
def retry_message(message_id: int) -> Response:
    """A message every attempt failed on, handled again once the problem is fixed."""
    if not FlaskForm().validate():
        abort(400)
    if retry(Actor.for_user(current_user), message_id):
        flash(str(_l("The message will be handled again.")))
    return redirect(url_for("simulator.page", _anchor="inbox-failed"))
