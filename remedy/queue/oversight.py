"""What an oversight body reads: de-identified case timelines and the audit chain's state.

An oversight body (``OrganisationKind.OVERSIGHT_BODY``) checks that the mechanism works,
not who complained: its accounts (``Role.OVERSIGHT``) read each case as a list of facts
with no person in it. A case is named by a code made for this view (a keyed hash of its
id), never by its reference, which opens the case on every channel; its place is the
country of the organisations involved, never the location the people wrote; its timeline
is the states it went through and when, from the audit log, without who acted or what
anyone wrote. Every page read is itself an audit event that says what was looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select

from remedy.audit import log as audit
from remedy.audit.log import verify_chain
from remedy.cases.event_labels import event_label
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.audit_event import AuditEvent
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation
from remedy.models.types import keyring
from remedy.queue.filters import state_labels
from remedy.queue.workload import is_state_event
from remedy.workflows import WORKFLOWS

PAGE_SIZE = 20
STILL_OPEN = "open"  # the outcome filter's word for cases without an outcome yet
CODE_LENGTH = 10


@dataclass(frozen=True)
class OversightFilters:
    received_from: date | None = None
    received_to: date | None = None
    outcome: str | None = None  # an Outcome value, or STILL_OPEN
    page: int = 1

    def described(self) -> dict[str, Any]:
        """What the audit event records of the request: the filters, no one's data."""
        return {
            "from": self.received_from.isoformat() if self.received_from else None,
            "to": self.received_to.isoformat() if self.received_to else None,
            "outcome": self.outcome,
            "page": self.page,
        }


def _date(args: Any, name: str) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), name) from None


def filters_from(args: Any) -> OversightFilters:
    """The list's filters from a query string; a clear 400 for anything else."""
    outcome = (args.get("outcome") or "").strip() or None
    if outcome is not None and outcome != STILL_OPEN and outcome not in Outcome._value2member_map_:
        raise InvalidInput(_("Choose one of the options offered."), "outcome")
    page_text = (args.get("page") or "1").strip()
    if not page_text.isdigit() or not 1 <= int(page_text) <= 100_000:
        raise InvalidInput(_("Choose one of the pages offered."), "page")
    found = OversightFilters(_date(args, "from"), _date(args, "to"), outcome, int(page_text))
    if found.received_from and found.received_to and found.received_from > found.received_to:
        raise InvalidInput(_("The period must end after it starts."), "to")
    return found


@dataclass(frozen=True)
class Step:
    at: datetime
    subject: str  # "Intake", or how the organisation is involved
    event: str
    state: str


@dataclass(frozen=True)
class OversightCase:
    code: str
    received_at: datetime
    channel: str
    category: str | None
    place: str | None
    severity: int | None
    involvement: list[str]
    state: str
    outcome: str | None
    steps: list[Step]


@dataclass(frozen=True)
class OversightPage:
    cases: list[OversightCase]
    filters: OversightFilters
    total: int
    pages: int


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    events: int
    last_at: datetime | None
    first_bad_seq: int | None


def case_code(grievance_id: int) -> str:
    """Stable for a case while the look-up key lasts; says nothing of it without the key."""
    digest = keyring().lookup_hash(f"oversight-case:{grievance_id}")
    return digest[:CODE_LENGTH].upper()


def _refuse_unless_oversight(actor: Actor) -> None:
    if actor.kind is not ActorKind.OVERSIGHT:
        raise NotAllowed(_("This page is for oversight bodies."))


def _where(filters: OversightFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.received_from:
        found.append(Grievance.received_at >= datetime.combine(filters.received_from, time(), UTC))
    if filters.received_to:
        end = datetime.combine(filters.received_to + timedelta(days=1), time(), UTC)
        found.append(Grievance.received_at < end)
    if filters.outcome == STILL_OPEN:
        found.append(Grievance.outcome.is_(None))
    elif filters.outcome:
        found.append(Grievance.outcome == Outcome(filters.outcome))
    return found


def _steps(grievances: list[Grievance]) -> dict[int, list[Step]]:
    """The state changes of these grievances and their tracks, oldest first, in one query."""
    intake_labels, _tracks = state_labels()
    track_labels = {
        state.name: str(state.label) for flow in WORKFLOWS.values() for state in flow.states
    }
    owner: dict[tuple[str, str], tuple[int, str]] = {}
    for grievance in grievances:
        owner[("grievance", grievance.reference)] = (grievance.id, _("Intake"))
        for track in grievance.tracks:
            owner[("track", str(track.id))] = (grievance.id, track.kind.label)
    found: dict[int, list[Step]] = {grievance.id: [] for grievance in grievances}
    if not owner:
        return found
    subjects = or_(
        and_(
            AuditEvent.subject_type == "grievance",
            AuditEvent.subject_id.in_([g.reference for g in grievances]),
        ),
        and_(
            AuditEvent.subject_type == "track",
            AuditEvent.subject_id.in_([key[1] for key in owner if key[0] == "track"]),
        ),
    )
    rows = db.session.execute(
        select(
            AuditEvent.subject_type,
            AuditEvent.subject_id,
            AuditEvent.action,
            AuditEvent.occurred_at,
            AuditEvent.after["state"].as_string(),
        )
        .where(subjects, is_state_event())
        .order_by(AuditEvent.occurred_at, AuditEvent.seq)
    )
    for subject_type, subject_id, action, occurred_at, state in rows:
        grievance_id, subject = owner[(subject_type, subject_id)]
        labels = intake_labels if subject_type == "grievance" else track_labels
        found[grievance_id].append(
            Step(occurred_at, subject, event_label(action), labels.get(state or "", ""))
        )
    return found


def _places(grievances: list[Grievance]) -> dict[int, str | None]:
    """The countries of the organisations involved: a region, never the people's words."""
    ids = [grievance.id for grievance in grievances]
    rows = db.session.execute(
        select(InvolvementTrack.grievance_id, Organisation.country)
        .join(Organisation, Organisation.id == InvolvementTrack.organisation_id)
        .where(InvolvementTrack.grievance_id.in_(ids), Organisation.country.is_not(None))
        .distinct()
    )
    countries: dict[int, set[str]] = {}
    for grievance_id, country in rows:
        countries.setdefault(grievance_id, set()).add(str(country))
    return {key: ", ".join(sorted(countries[key])) if key in countries else None for key in ids}


@transactional
def read_cases(actor: Actor, filters: OversightFilters) -> OversightPage:
    """One page of de-identified cases, newest first; the read is audited."""
    _refuse_unless_oversight(actor)
    where = _where(filters)
    total = int(db.session.scalar(select(func.count(Grievance.id)).where(*where)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    grievances = list(
        db.session.scalars(
            select(Grievance)
            .where(*where)
            .order_by(Grievance.received_at.desc(), Grievance.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    steps, places = _steps(grievances), _places(grievances)
    intake_labels, _tracks = state_labels()
    cases = [
        OversightCase(
            code=case_code(grievance.id),
            received_at=grievance.received_at,
            channel=grievance.channel.value,
            category=grievance.category.label if grievance.category else None,
            place=places[grievance.id],
            severity=grievance.severity,
            involvement=sorted({track.kind.label for track in grievance.tracks}),
            state=str(intake_labels.get(grievance.state, grievance.state)),
            outcome=grievance.outcome.label if grievance.outcome else None,
            steps=steps[grievance.id],
        )
        for grievance in grievances
    ]
    audit.record(
        actor,
        "oversight.read_cases",
        "oversight",
        after={**filters.described(), "page": page, "cases_shown": len(cases)},
    )
    return OversightPage(cases, replace(filters, page=page), total, pages)


def chain_status(actor: Actor) -> ChainStatus:
    """Walk the whole audit chain now, then record that this body read the result."""
    _refuse_unless_oversight(actor)
    report = verify_chain()
    last_at = None
    if report.events:
        last_at = db.session.scalar(
            select(AuditEvent.occurred_at).where(AuditEvent.seq == report.events)
        )
    status = ChainStatus(report.ok, report.events, last_at, report.first_bad_seq)
    _record_chain_read(actor, status)
    return status


@transactional
def _record_chain_read(actor: Actor, status: ChainStatus) -> None:
    audit.record(
        actor,
        "oversight.read_chain",
        "oversight",
        after={"ok": status.ok, "events": status.events, "first_bad_seq": status.first_bad_seq},
    )


__all__ = [
    "PAGE_SIZE",
    "STILL_OPEN",
    "ChainStatus",
    "OversightCase",
    "OversightFilters",
    "OversightPage",
    "Step",
    "case_code",
    "chain_status",
    "filters_from",
    "read_cases",
]
