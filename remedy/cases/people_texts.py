"""The words the people read, in each person's language: which languages a case needs,
which text each reader gets, and what is still missing.

A case may have several people with different languages. The team writes a remedy
action's description, a track's explanation for the people and a decision's reason
once (the row's own text, what every channel showed before), and again in each of the
people's languages (``remedy.models.people_text``). A reader gets the text in their
language when it exists, else the row's own text; the console names the languages
still missing, so nobody assumes a French reader read the English words. The staff
rationale never comes here. Writing them is :mod:`remedy.cases.people_writing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.i18n import current_language
from remedy.core.settings import settings
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import PersonRole
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.people_text import PeopleText, TextField, TextSubject
from remedy.models.remedy_action import RemedyAction

Key = tuple[TextSubject, int, TextField]


def languages_of(grievance: Grievance) -> list[str]:
    """The languages the case's people read (the ones who filed first), each once."""
    known = settings().languages
    found: list[str] = []
    people = sorted(
        grievance.people, key=lambda link: (link.role is not PersonRole.COMPLAINANT, link.person_id)
    )
    for link in people:
        language = link.person.language or grievance.language
        if language in known and language not in found:
            found.append(language)
    if not found and grievance.language in known:
        found.append(grievance.language)
    return found


def language_name(language: str) -> str:
    """The language in its own words ("Français"), as its readers would look for it."""
    return str(settings().languages.get(language, language))


def texts_of(grievance: Grievance) -> dict[Key, dict[str, str]]:
    """Every text of the case in every language, in one query."""
    found: dict[Key, dict[str, str]] = {}
    rows = db.session.scalars(select(PeopleText).where(PeopleText.grievance_id == grievance.id))
    for row in rows:
        found.setdefault((row.subject, row.subject_id, row.field), {})[row.language] = row.text
    return found


def _in(grievance_id: int, key: Key, fallback: str | None, language: str | None) -> str | None:
    subject, subject_id, field = key
    written = db.session.scalar(
        select(PeopleText.text).where(
            PeopleText.grievance_id == grievance_id,
            PeopleText.subject == subject,
            PeopleText.subject_id == subject_id,
            PeopleText.field == field,
            PeopleText.language == (language or current_language()),
        )
    )
    return written if written is not None else fallback


def description(action: RemedyAction, language: str | None = None) -> str:
    """The action's description for a reader of ``language`` (the page's, by default)."""
    key = (TextSubject.REMEDY_ACTION, action.id, TextField.DESCRIPTION)
    return _in(action.track.grievance_id, key, action.description, language) or action.description


def explanation(track: InvolvementTrack, language: str | None = None) -> str | None:
    """Why the organisation is involved, as the people are told it; never the rationale."""
    key = (TextSubject.TRACK, track.id, TextField.EXPLANATION)
    return _in(track.grievance_id, key, track.explanation, language) or None


def versions(action: RemedyAction) -> list[tuple[str, str]]:
    """The description as each of the case's languages reads it, named: what a proxy acting
    for people of several languages needs to see they were all told the same."""
    languages = languages_of(action.track.grievance)
    if len(languages) < 2:
        return []
    return [(language_name(language), description(action, language)) for language in languages]


def explanations(track: InvolvementTrack) -> dict[str, str]:
    """The track's explanation for the people, per language written."""
    rows = db.session.execute(
        select(PeopleText.language, PeopleText.text).where(
            PeopleText.subject == TextSubject.TRACK,
            PeopleText.subject_id == track.id,
            PeopleText.field == TextField.EXPLANATION,
        )
    )
    return {language: text for language, text in rows}


def descriptions(actions: Iterable[RemedyAction]) -> dict[int, dict[str, str]]:
    """Each action's description per language, for messages rendered per recipient."""
    ids = [action.id for action in actions if action.id is not None]
    if not ids:
        return {}
    found: dict[int, dict[str, str]] = {}
    rows = db.session.scalars(
        select(PeopleText).where(
            PeopleText.subject == TextSubject.REMEDY_ACTION,
            PeopleText.subject_id.in_(ids),
            PeopleText.field == TextField.DESCRIPTION,
        )
    )
    for row in rows:
        found.setdefault(row.subject_id, {})[row.language] = row.text
    return found


@dataclass(frozen=True)
class Missing:
    """A text the people read that is not written in some of their languages yet."""

    subject: TextSubject
    subject_id: int
    field: TextField
    track: InvolvementTrack
    # What it is, as written first: the handler recognises it.
    text: str
    languages: tuple[str, ...]

    @property
    def language_names(self) -> str:
        return ", ".join(language_name(language) for language in self.languages)


def _items(track: InvolvementTrack) -> list[tuple[TextSubject, int, TextField, str | None]]:
    items: list[tuple[TextSubject, int, TextField, str | None]] = [
        (TextSubject.TRACK, track.id, TextField.EXPLANATION, track.explanation)
    ]
    items += [
        (TextSubject.REMEDY_ACTION, action.id, TextField.DESCRIPTION, action.description)
        for action in track.remedy_actions
        if action.is_active
    ]
    return items


def missing(
    grievance: Grievance, tracks: Iterable[InvolvementTrack] | None = None
) -> list[Missing]:
    """The people's texts of these tracks (all, by default) not written in every language
    the case's people read."""
    languages = languages_of(grievance)
    texts = texts_of(grievance)
    found = []
    for track in sorted(grievance.tracks if tracks is None else tracks, key=lambda t: t.id):
        for subject, subject_id, field, own in _items(track):
            written = texts.get((subject, subject_id, field), {})
            if not own and not written:
                continue  # nothing to tell the people (no explanation written)
            lacking = tuple(language for language in languages if language not in written)
            if lacking:
                first = own or next(iter(written.values()))
                found.append(Missing(subject, subject_id, field, track, first, lacking))
    return found
