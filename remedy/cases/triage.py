"""Triage at screening: a provisional severity and urgency flags, set by a person.

The category and the words of the complaint (``remedy.cases.urgency_words``, in the
grievance's language and in English) only *suggest* flags; nothing is flagged until a
handler or supervisor confirms it, and a dismissed suggestion is not offered again.
Confirmed flags and dismissals are audited. A severe or urgent case then runs by the
policy's shorter deadlines (``JurisdictionPolicy.urgent``), the one it is in now
included; its supervisors are told, and it waits on the supervisor page until one of them
names its senior reviewer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases.intake import Severity, check_severity
from remedy.cases.notify import notify_staff
from remedy.cases.sensitive import may_read_contents
from remedy.cases.triggers import policy_for
from remedy.cases.urgency_words import WORDS
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import (
    Category,
    Grievance,
    UrgencyFlag,
    parse_flags,
    store_flags,
)
from remedy.models.user import Role, User
from remedy.workflows import INTAKE
from remedy.workflows.states import IntakeState

TRIAGERS = frozenset({Role.HANDLER, Role.SUPERVISOR})
# Before classification: afterwards the severity is the assessed one.
TRIAGE_STATES = frozenset(
    {
        IntakeState.RECEIVED,
        IntakeState.SCREENING,
        IntakeState.AWAITING_COMPLAINANT,
        IntakeState.ASSESSMENT,
    }
)
CATEGORY_FLAGS: dict[Category, tuple[UrgencyFlag, ...]] = {
    Category.SEXUAL_VIOLENCE: (UrgencyFlag.SEXUAL_VIOLENCE,),
    Category.CHILDREN: (UrgencyFlag.CHILD,),
    Category.HEALTH: (UrgencyFlag.LIFE_OR_HEALTH,),
    Category.HEALTH_AND_SAFETY: (UrgencyFlag.LIFE_OR_HEALTH,),
    Category.SECURITY_FORCES: (UrgencyFlag.VIOLENCE,),
}
# Languages whose words take attached prefixes ("and", "the"): their words match inside words.
INSIDE_WORDS = frozenset({"ar", "sw"})


def _plain(text: str) -> str:
    """Lower case, without accents or Arabic vowel marks, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " " + " ".join(re.findall(r"\w+", bare)) + " "


def words_suggest(text: str, language: str) -> set[UrgencyFlag]:
    """Flags whose words appear in ``text``, in ``language`` and in English."""
    plain = _plain(text)
    found: set[UrgencyFlag] = set()
    for lang in dict.fromkeys((language, "en")):
        inside = lang in INSIDE_WORDS
        for flag, entries in WORDS.get(lang, {}).items():
            for entry in entries:
                # A trailing space in the list means a whole word ("viol " is not "violation").
                word = _plain(entry)[1:] if inside else _plain(entry)
                word = word if entry.endswith(" ") else word.rstrip(" ")
                if word.strip() and word in plain:
                    found.add(flag)
                    break
    return found


def suggested_flags(actor: Actor, grievance: Grievance) -> tuple[UrgencyFlag, ...]:
    """What the category and words suggest, less what a person already confirmed or dismissed.
    Words are read only for someone who may read what was told."""
    found = set(CATEGORY_FLAGS.get(grievance.category, ())) if grievance.category else set()
    if may_read_contents(actor, grievance) and grievance.erased_at is None:
        found |= words_suggest(grievance.description or "", grievance.language)
    settled = set(grievance.flags) | set(parse_flags(grievance.dismissed_flags))
    return tuple(flag for flag in UrgencyFlag if flag in found - settled)


def may_triage(actor: Actor, grievance: Grievance) -> bool:
    """The mechanism's handlers and supervisors, on a case they see, before classification."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in TRIAGERS
        and actor.user_id is not None
        and grievance.state in TRIAGE_STATES
        and may_see_grievance(actor, grievance)
    )


def _shorten_deadline(grievance: Grievance) -> None:
    """The state it is in now runs by the shorter deadline too, counted from when it began."""
    if grievance.due_at is None or grievance.state in INTAKE.ended_states:
        return
    key = INTAKE.state(grievance.state).deadline
    policy = policy_for(grievance)
    usual, urgent = policy.deadline_for(key), policy.deadline_for(key, urgent=True)
    if usual is None or urgent is None or urgent >= usual:
        return
    entered = grievance.due_at - usual
    grievance.due_at = min(grievance.due_at, entered + urgent)


@transactional
def triage(
    actor: Actor,
    grievance: Grievance,
    flags: Iterable[UrgencyFlag],
    severity: Severity | None,
    expected_version: int | None = None,
) -> None:
    """Record the flags a person confirmed (suggestions left out are dismissed) and the
    provisional severity; audited, version-checked."""
    if not may_triage(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if expected_version is not None and expected_version != grievance.version:
        raise ConflictError("the grievance changed since it was shown")
    if severity is not None:
        check_severity(severity)
    chosen = set(flags)
    before_flags = set(grievance.flags)
    was_pressing = grievance.needs_senior_review
    dismissed = set(parse_flags(grievance.dismissed_flags))
    dismissed |= set(suggested_flags(actor, grievance)) - chosen
    before = {
        "flags": [flag.value for flag in before_flags],
        "severity": [
            grievance.severity_scale,
            grievance.severity_scope,
            grievance.severity_irremediability,
        ],
    }
    grievance.urgency_flags = store_flags(chosen)
    grievance.dismissed_flags = store_flags(dismissed - chosen)
    if severity is not None:
        grievance.severity_scale = severity.scale
        grievance.severity_scope = severity.scope
        grievance.severity_irremediability = severity.irremediability
    if grievance.needs_senior_review:
        _shorten_deadline(grievance)
    event = audit.record(
        actor,
        "grievance.triage",
        "grievance",
        grievance.reference,
        before=before,
        after={
            "flags": [flag.value for flag in UrgencyFlag if flag in chosen],
            "confirmed": [flag.value for flag in UrgencyFlag if flag in chosen - before_flags],
            "dismissed": [flag.value for flag in UrgencyFlag if flag in dismissed - chosen],
            "severity": [
                grievance.severity_scale,
                grievance.severity_scope,
                grievance.severity_irremediability,
            ],
            "due_at": grievance.due_at.isoformat() if grievance.due_at else None,
        },
    )
    if grievance.needs_senior_review and not was_pressing and grievance.reviewer_user_id is None:
        # The supervisors hear at once; the supervisor page lists it until one is named.
        notify_staff(grievance, "staff_senior_review", f"a{event.seq}")
    db.session.flush()


def may_name_reviewer(actor: Actor, grievance: Grievance) -> bool:
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role is Role.SUPERVISOR
        and not grievance.is_ended
        and may_see_grievance(actor, grievance)
    )


def reviewer_choices(grievance: Grievance) -> list[tuple[int, str]]:
    """Who may be the senior reviewer: an active supervisor of the mechanism itself, never
    the handler working on the case (a second pair of eyes)."""
    users = db.session.scalars(
        db.select(User).where(
            User.active.is_(True), User.role == Role.SUPERVISOR, User.organisation_id.is_(None)
        )
    )
    return sorted(
        (
            (user.id, user.display_name or user.email)
            for user in users
            if user.id != grievance.assigned_user_id
        ),
        key=lambda choice: choice[1],
    )


@transactional
def name_reviewer(
    actor: Actor, grievance: Grievance, user_id: int, expected_version: int | None = None
) -> None:
    """A supervisor names the senior reviewer of a case; audited, version-checked."""
    if not may_name_reviewer(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if expected_version is not None and expected_version != grievance.version:
        raise ConflictError("the grievance changed since it was shown")
    if user_id not in dict(reviewer_choices(grievance)):
        raise InvalidInput(_("Choose one of the options offered."), "reviewer")
    before = grievance.reviewer_user_id
    if before == user_id:
        return
    grievance.reviewer_user_id = user_id
    audit.record(
        actor,
        "grievance.reviewer",
        "grievance",
        grievance.reference,
        before={"reviewer_user_id": before},
        after={"reviewer_user_id": user_id},
    )
    db.session.flush()
