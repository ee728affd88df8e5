"""The root-cause taxonomy: administrators add, rename and retire causes (UNGP 31).

Causes are never deleted: a retired cause is no longer offered, and stays on the cases
and lessons that carry it. Every change is audited; labels name causes, never people.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.root_cause import MAX_LABEL_LENGTH, SEEDED_LABELS, RootCause
from remedy.models.types import utcnow
from remedy.models.user import Role

MAX_KEY_LENGTH = 40


def may_manage(actor: Actor) -> bool:
    """The mechanism's administrators keep the taxonomy."""
    return (
        actor.kind is ActorKind.STAFF and actor.organisation_id is None and actor.role is Role.ADMIN
    )


def all_causes() -> list[RootCause]:
    """Every cause, those in use first, each group in the order it was added."""
    query = select(RootCause).order_by(RootCause.retired_at.is_not(None), RootCause.id)
    return list(db.session.scalars(query))


def offered_causes() -> list[RootCause]:
    """The causes a case or a lesson may be given now: not retired."""
    query = select(RootCause).where(RootCause.retired_at.is_(None)).order_by(RootCause.id)
    return list(db.session.scalars(query))


def find_causes(ids: list[int]) -> list[RootCause]:
    """The causes with these ids, in the taxonomy's order; an unknown id is a clear error."""
    wanted = set(ids)
    found = list(
        db.session.scalars(select(RootCause).where(RootCause.id.in_(wanted)).order_by(RootCause.id))
    )
    if len(found) != len(wanted):
        raise InvalidInput(_("Choose one of the listed root causes."), "root_cause")
    return found


def get_cause(cause_id: int) -> RootCause:
    cause = db.session.get(RootCause, cause_id)
    if cause is None:
        raise NotFound(_("There is no such root cause."))
    return cause


def _check(actor: Actor) -> None:
    if not may_manage(actor):
        raise NotAllowed(_("Only administrators manage the root causes."))


def _clean(
    label: str, translations: Mapping[str, str], seeded: bool = False
) -> tuple[str, dict[str, str]]:
    """A seeded cause may keep the catalogue's label: ``label`` empty."""
    label = " ".join((label or "").split())
    if (not label and not seeded) or len(label) > MAX_LABEL_LENGTH:
        raise InvalidInput(
            _(
                "A root cause needs a label of at most %(count)d characters.",
                count=MAX_LABEL_LENGTH,
            ),
            "label",
        )
    languages = settings().languages
    kept: dict[str, str] = {}
    for language, text in translations.items():
        if language not in languages:
            raise InvalidInput(_("Choose one of the listed options."), f"label-{language}")
        text = " ".join((text or "").split())
        if len(text) > MAX_LABEL_LENGTH:
            raise InvalidInput(
                _("Please keep it under %(count)d characters.", count=MAX_LABEL_LENGTH),
                f"label-{language}",
            )
        if text:
            kept[language] = text
    return label, kept


def _key_for(label: str) -> str:
    """A stable key from the label (ASCII words joined by "_"), unique in the taxonomy."""
    plain = unicodedata.normalize("NFKD", label.casefold()).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[a-z0-9]+", plain))[: MAX_KEY_LENGTH - 4] or "cause"
    taken = set(db.session.scalars(select(RootCause.key).where(RootCause.key.startswith(base))))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _same_label(label: str, but: RootCause | None = None) -> None:
    language = settings().default_language
    for cause in all_causes():
        if cause is not but and cause.label_in(language).casefold() == label.casefold():
            raise InvalidInput(_("A root cause with this label already exists."), "label")


@transactional
def create_root_cause(
    actor: Actor, label: str, translations: Mapping[str, str] | None = None
) -> RootCause:
    """Add a cause; ``label`` in the default language, ``translations`` per language."""
    _check(actor)
    label, kept = _clean(label, translations or {})
    _same_label(label)
    cause = RootCause(key=_key_for(label), label=label, translations=kept or None)
    db.session.add(cause)
    db.session.flush()
    audit.record(
        actor,
        "root_cause.create",
        "root_cause",
        cause.id,
        after={"key": cause.key, "label": label, "translations": kept},
    )
    return cause


@transactional
def rename_root_cause(
    actor: Actor, cause: RootCause, label: str, translations: Mapping[str, str] | None = None
) -> RootCause:
    """Give a cause a new label (and translations): every case carrying it shows it."""
    _check(actor)
    cleaned, kept = _clean(label, translations or {}, seeded=cause.key in SEEDED_LABELS)
    new_label = cleaned or None
    _same_label(
        cause.label_in(settings().default_language) if new_label is None else cleaned, cause
    )
    before = {"label": cause.label, "translations": cause.translations or {}}
    if before == {"label": new_label, "translations": kept}:
        return cause
    cause.label = new_label
    cause.translations = kept or None
    audit.record(
        actor,
        "root_cause.rename",
        "root_cause",
        cause.id,
        before=before,
        after={"label": new_label, "translations": kept},
    )
    return cause


@transactional
def retire_root_cause(actor: Actor, cause: RootCause, retired: bool = True) -> RootCause:
    """Stop offering a cause (or offer it again); the cases that carry it keep it."""
    _check(actor)
    if cause.is_retired == retired:
        return cause
    cause.retired_at = utcnow() if retired else None
    audit.record(
        actor,
        "root_cause.retire" if retired else "root_cause.restore",
        "root_cause",
        cause.id,
        after={"retired_at": cause.retired_at.isoformat() if cause.retired_at else None},
    )
    return cause
