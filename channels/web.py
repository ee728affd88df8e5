"""The public web channel: light pages for affected people, in every shipped language.

Three things a person can do without an account: tell us what happened (one question
per page, the answers kept in a server-side draft between pages), check their case
with the reference and PIN, and answer what the team asked them. A lost PIN is
replaced through the phone number on file. Every page works without JavaScript.

Views stay thin: they check the shape of the input, call one service, and render.
The session cookie carries no personal data: a random draft token, the reference of
a case opened with its PIN (for 15 minutes), and the new PIN for the minutes after
filing, encrypted.

This module is the blueprint and what its pages share (what the browser remembers,
and for how long); the pages are ``web_filing`` (telling what happened),
``web_case`` (a case opened with its PIN), ``web_explain`` (asking why an automated
decision was made), ``web_fairness`` (how fair the ended case's handling was),
``web_mandates`` (who speaks for the people, and withdrawing it), ``web_pin`` (a lost
PIN) and ``web_statistics`` (the public statistics).
"""

from __future__ import annotations

import importlib
import time
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Flask, abort, render_template, request, session
from flask_babel import format_date, format_datetime
from flask_wtf import FlaskForm

from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.references import is_valid
from remedy.models.grievance import Category, Grievance
from remedy.models.involvement_track import InvolvementTrack

bp = Blueprint("web", __name__, template_folder="templates")
# The page groups: each registers its routes on ``bp`` when imported.
PAGES = (
    "channels.web_filing",
    "channels.web_case",
    "channels.web_explain",
    "channels.web_fairness",
    "channels.web_mandates",
    "channels.web_pin",
    "channels.web_statistics",
)


def _now() -> int:
    return int(time.time())


def source() -> str:
    """Who asks, for the per-source limits on PIN look-ups (an address, never stored)."""
    return f"web:{request.remote_addr or 'unknown'}"


def remember(key: str, entry: dict[str, Any]) -> None:
    """Keep ``entry`` in the session under ``key``, stamped with the time (see recall)."""
    session[key] = {**entry, "at": _now()}


def recall(key: str, minutes: int) -> dict[str, Any] | None:
    """What was remembered under ``key`` in the last ``minutes``, or None."""
    entry = session.get(key)
    if not isinstance(entry, dict) or not isinstance(entry.get("at"), int):
        return None
    if _now() - entry["at"] > minutes * 60:
        return None
    return entry


def show_errors(form: FlaskForm, error: InvalidInput, default: str | None) -> None:
    """A service's refusal, shown beside the field it names, else the default field, else
    at the top of the form."""
    for name in (error.field, default):
        if name and name != "csrf_token" and name in form:
            field = getattr(form, name)
            field.errors = [*field.errors, str(error)]
            return
    form.form_errors.append(str(error))


def offered_track(offered: list[InvolvementTrack], track_id: int) -> InvolvementTrack:
    """The track a page acts on, among those the workflow offers the person now; a track
    not offered (another case's, or one past that step) is not found."""
    track = next((track for track in offered if track.id == track_id), None)
    if track is None:
        abort(404)
    return track


def find_grievance(reference: str) -> Grievance | None:
    if not is_valid(reference):
        return None
    return db.session.scalars(
        db.select(Grievance).where(Grievance.reference == reference)
    ).one_or_none()


# Home ---------------------------------------------------------------------------------


@bp.route("/")
def home() -> str:
    return render_template("web/home.html")


def _date(value: date | datetime | str | None) -> str:
    """A day in the reader's language; ISO strings (draft answers) too."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return str(format_date(value, "long"))


def _datetime(value: datetime) -> str:
    return str(format_datetime(value, "long"))


def init_app(app: Flask) -> None:
    for module in PAGES:
        importlib.import_module(module)
    app.register_blueprint(bp)
    app.add_template_filter(_date, "web_date")
    app.add_template_filter(_datetime, "web_datetime")
    app.add_template_global(Category, "Category")
