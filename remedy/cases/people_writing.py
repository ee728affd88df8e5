"""Writing the people's words in each of their languages (``remedy.cases.people_texts``).

A handler writes them with the text itself (a proposal's actions, a classification's
explanation, a decision's reason) or later, once a translator has them: each write is
audited with the language, never the words. Writing a text again in a language
replaces it. A decision's reasons in other languages are told to each recipient in
theirs in the very messages the decision queues (``message_context.told_in_languages``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.message_context import told_in_languages
from remedy.cases.policy import people_text_refusal, refuse
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.people_text import PeopleText, TextField, TextSubject
from remedy.models.remedy_action import RemedyAction
from remedy.models.types import utcnow

MAX_TEXT = 5000  # as every other text of a case (remedy.cases.intake)
Owner = RemedyAction | InvolvementTrack | Grievance
# Which texts each kind of row has for the people.
FIELDS: dict[TextSubject, frozenset[TextField]] = {
    TextSubject.REMEDY_ACTION: frozenset({TextField.DESCRIPTION}),
    TextSubject.TRACK: frozenset({TextField.EXPLANATION, TextField.REASON}),
    TextSubject.GRIEVANCE: frozenset({TextField.REASON}),
}
T = TypeVar("T")


def _where(owner: Owner) -> tuple[Grievance, InvolvementTrack | None, TextSubject, int]:
    if isinstance(owner, RemedyAction):
        return owner.track.grievance, owner.track, TextSubject.REMEDY_ACTION, owner.id
    if isinstance(owner, InvolvementTrack):
        return owner.grievance, owner, TextSubject.TRACK, owner.id
    return owner, None, TextSubject.GRIEVANCE, owner.id


def cleaned_texts(texts: Mapping[str, str | None], field: str) -> dict[str, str]:
    """The texts given, by language: blanks left out, unknown languages and overlong or
    broken texts refused (``field`` names the form field at fault)."""
    known = settings().languages
    found = {}
    for language, value in texts.items():
        text = (value or "").strip()
        if not text:
            continue
        if language not in known:
            raise InvalidInput(_("This language is not one the mechanism speaks."), field)
        if "\x00" in text:
            raise InvalidInput(_("Remove the invisible control characters."), field)
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                _("Please keep it under %(count)d characters.", count=MAX_TEXT), field
            )
        found[language] = text
    return found


def _save(
    actor: Actor, owner: Owner, field: TextField, texts: Mapping[str, str], replace: bool = False
) -> None:
    """Write ``texts``; ``replace``: the text itself was written anew, so the versions of
    the old one in other languages go (a French person never reads the old reason)."""
    grievance, track, subject, subject_id = _where(owner)
    existing = {
        row.language: row
        for row in db.session.scalars(
            select(PeopleText).where(
                PeopleText.subject == subject,
                PeopleText.subject_id == subject_id,
                PeopleText.field == field,
            )
        )
    }
    dropped = sorted(set(existing) - set(texts)) if replace else []
    for language in dropped:
        db.session.delete(existing[language])
    if not texts and not dropped:
        return
    for language, text in texts.items():
        row = existing.get(language)
        if row is None:
            db.session.add(
                PeopleText(
                    grievance_id=grievance.id,
                    subject=subject,
                    subject_id=subject_id,
                    field=field,
                    language=language,
                    text=text,
                    written_by=actor.id,
                )
            )
        else:
            row.text, row.written_by, row.written_at = text, actor.id, utcnow()
    audit.record(
        actor,
        "people_text.write",
        "track" if track is not None else "grievance",
        track.id if track is not None else grievance.reference,
        after={
            "subject": subject.value,
            "subject_id": subject_id,
            "field": field.value,
            "languages": sorted(texts),
            "replaced": sorted(set(texts) & set(existing)),
            "dropped": dropped,
        },
    )
    grievance.updated_at = utcnow()  # bumps the version, like any change to the case


@transactional
def write_texts(
    actor: Actor,
    owner: Owner,
    field: TextField,
    texts: Mapping[str, str | None],
    replace: bool = False,
) -> None:
    """Write (or write again) the people's text of ``owner`` in each language given;
    ``replace`` when the text itself was just written anew: other versions go."""
    grievance, track, subject, _subject_id = _where(owner)
    if field not in FIELDS[subject]:
        raise InvalidInput(_("There is no such text to translate here."), "field")
    given = cleaned_texts(texts, "text")
    if not given and not replace:
        return
    refuse(people_text_refusal(actor, grievance, track))
    _save(actor, owner, field, given, replace)


@transactional
def write_text(actor: Actor, owner: Owner, field: TextField, language: str, text: str) -> None:
    """One translation added later, from the case page."""
    if not (text or "").strip():
        raise InvalidInput(_("Write the text in this language."), "text")
    write_texts(actor, owner, field, {language: text})


@transactional
def decide_in_languages(
    actor: Actor,
    subject: InvolvementTrack | Grievance,
    reasons: Mapping[str, str | None],
    decide: Callable[[], T],
) -> T:
    """Take a decision whose reason the team also wrote in the people's languages: each
    person's message says it in theirs, and the reasons are kept for the case page."""
    grievance, track, _subject, _subject_id = _where(subject)
    given = cleaned_texts(reasons, "reason")
    if not given:
        result = decide()
        # A new reason without versions: the last decision's versions no longer hold.
        _save(actor, subject, TextField.REASON, {}, replace=True)
        return result
    refuse(people_text_refusal(actor, grievance, track))
    with told_in_languages({"reason": given}):
        result = decide()
    _save(actor, subject, TextField.REASON, given, replace=True)
    return result
