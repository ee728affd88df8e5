"""The console queue with 1,000,000 grievances on PostgreSQL: p50/p95/p99 per request.

Run from the project root: ``.venv/bin/python bench/console.py`` (``--help`` for options).

1. **Database.** A PostgreSQL database created for the run (dropped after it unless
   ``--keep``), migrated with the real migrations; server defaults. ``--reuse URL`` skips
   creating and seeding and measures a database kept by an earlier run.
2. **Seed.** Organisations and staff through the services; then, with ``COPY``, a million
   grievances filed over five years and everything the queue reads: their people,
   involvement tracks, place terms (the blind index) and, for the last 120 days, the
   audit events of their state changes (grievances and tracks; not a valid hash chain:
   bench data). Non-key indexes are dropped before the copy and
   built after it, then ``VACUUM ANALYZE``. Personal data is encrypted like the app does
   (each value from a pool of ciphertexts, to keep seeding short).
   The mix: most old grievances have ended; about a third of open work is overdue;
   one or two tracks per assessed grievance across 16 organisations (the largest with
   about a third of them); 85% of open work assigned to one of 40 handlers; reprisal
   risk on 15%, identity withheld on 20%; five languages and six channels.
3. **Measure.** In one process, through the Flask test client (the whole request:
   session, idle check, filters parsed, queries, template; no gunicorn): the queue page
   under many filters, searches and views as a mechanism handler and a company's
   handler, a deep page through the cursor; the queue service alone with some of them;
   and ``GET /api/v1/grievances`` with filters when the API is there. Each case runs
   ``--repeat`` times after a warm-up, interleaved; p50/p95/p99/max per case and over all
   requests. The supervisor page is timed too, with its time per stage recomputed and
   kept (not part of the 150 ms target).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _support
from _support import (
    FAST_HASHING,
    LOAD,
    as_psycopg,
    migrate,
    postgres_admin_url,
    postgres_database,
)

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR, Actor
from remedy.core.crypto import Keyring, generate_key
from remedy.core.extensions import db
from remedy.core.passwords import hash_secret
from remedy.core.references import check_digit
from remedy.identity.place_index import place_words, term_for
from remedy.models import Organisation, OrganisationKind, Role, TrackKind, User
from remedy.models.types import keyring, utcnow
from remedy.queue.filters import QueueFilters, QueueOrder, SavedView, saved_view
from remedy.queue.search import search_grievances

PASSWORD = "a long enough passphrase"  # noqa: S105 - bench accounts, dropped after
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)
YEARS = 5
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LANGUAGES = (("en", 40), ("sw", 25), ("fr", 15), ("es", 10), ("ar", 10))
CHANNELS = (("sms", 40), ("whatsapp", 20), ("voice", 15), ("web", 15), ("proxy", 8), ("api", 2))
CATEGORIES = (
    "labour",
    "land",
    "environment",
    "health_and_safety",
    "community",
    "discrimination",
    "security_forces",
    "product",
    "other",
)
RISKS = (("none", 85), ("low", 10), ("high", 5))
# Deadlines per state, as the default jurisdiction roughly sets them.
SPANS = {
    "screening": 14,
    "awaiting_complainant": 14,
    "assessment": 30,
    "under_review": 30,
    "planning": 30,
    "proposed": 21,
    "dialogue": 30,
    "implementing": 90,
    "verifying": 30,
    "engaging": 60,
    "escalated": 60,
    "partner_remedying": 90,
}
OPEN_TRACK_STATES = {
    "cause": ("planning", "proposed", "dialogue", "implementing", "verifying"),
    "contribute": ("planning", "proposed", "dialogue", "implementing", "verifying"),
    "directly_linked": ("engaging", "escalated", "partner_remedying", "verifying"),
}
ENDED_TRACK_STATES = {
    "cause": (("remedied", 60), ("partly_remedied", 20), ("unconfirmed", 10), ("referred", 10)),
    "contribute": (
        ("remedied", 55),
        ("partly_remedied", 25),
        ("unconfirmed", 10),
        ("referred", 10),
    ),
    "directly_linked": (
        ("remedied", 40),
        ("partly_remedied", 20),
        ("referred", 20),
        ("relationship_ended", 20),
    ),
}
TRACK_OUTCOMES = {
    "remedied": "remedied",
    "partly_remedied": "partly_remedied",
    "unconfirmed": "unconfirmed",
    "referred": "referred",
    "relationship_ended": "not_remedied",
}
VILLAGES = [
    a + b
    for a in ("Ki", "Ma", "Na", "Lo", "Bu", "Ka", "Mo", "Ta", "Sa", "Ri", "Ol", "Em")
    for b in ("sumu", "kueni", "rok", "dwar", "siko", "tale", "yeni", "basa", "goma", "wanda")
]
LANDMARKS = (
    "near the old mill",
    "by the river",
    "at the mine gate",
    "market square",
    "north camp",
    "the new pipeline",
    "school road",
    "water point",
    "plantation block 7",
    "",
)


def weighted(pairs: tuple[tuple[str, int], ...]) -> Callable[[random.Random], str]:
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return lambda rng: rng.choices(values, weights)[0]


# Databases ---------------------------------------------------------------------------------


def make_app(url: str, instance: Path, key: str, secret: str) -> Flask:
    """The app on the bench database, with the keys its data was encrypted with."""
    return _support.make_app(
        url,
        instance,
        migrated=False,
        SECRET_KEY=secret,
        REMEDY_ENCRYPTION_KEY=key,
        RATELIMIT_ENABLED=False,
        WTF_CSRF_ENABLED=True,
        **FAST_HASHING,
    )


# Seeding -----------------------------------------------------------------------------------


@dataclass
class Cast:
    handlers: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)
    organisations: list[tuple[int, str]] = field(default_factory=list)  # (id, kind)
    company_handler: int = 0
    company_id: int = 0
    emails: dict[str, str] = field(default_factory=dict)  # who → email


def seed_staff() -> Cast:
    cast = Cast()
    weights = []
    for number in range(10):
        organisation = create_organisation(
            OPERATOR, f"Company {number + 1}", OrganisationKind.COMPANY, "KE"
        )
        cast.organisations.append((organisation.id, "company"))
        weights.append(30 if number == 0 else 7)
    for number in range(6):
        organisation = create_organisation(
            OPERATOR, f"Partner {number + 1}", OrganisationKind.BUSINESS_PARTNER, "KE"
        )
        cast.organisations.append((organisation.id, "partner"))
    for number in range(40):
        user = accounts.create_user(
            OPERATOR, f"handler{number + 1}@example.org", PASSWORD, Role.HANDLER
        )
        cast.handlers.append(user.id)
    for number in range(6):
        user = accounts.create_user(
            OPERATOR, f"supervisor{number + 1}@example.org", PASSWORD, Role.SUPERVISOR
        )
        cast.supervisors.append(user.id)
    accounts.create_user(OPERATOR, "auditor@example.org", PASSWORD, Role.AUDITOR)
    company = db.session.get(Organisation, cast.organisations[0][0])
    user = accounts.create_user(OPERATOR, "team@company1.example", PASSWORD, Role.HANDLER, company)
    cast.company_handler, cast.company_id = user.id, cast.organisations[0][0]
    cast.emails = {
        "handler": "handler1@example.org",
        "supervisor": "supervisor1@example.org",
        "company": "team@company1.example",
    }
    db.session.commit()
    return cast


NULL = "\\N"  # COPY's text format for NULL


def _bytea(blob: bytes) -> str:
    return "\\\\x" + blob.hex()


def _ts(moment: datetime | None) -> str:
    return NULL if moment is None else moment.isoformat()


def _text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class Copier:
    """One table's COPY on a connection of its own (so all tables stream at once), buffered
    in large chunks. Foreign keys are not checked row by row (``session_replication_role``):
    the generator keeps them right, and every table commits together at the end."""

    def __init__(self, url: str, table: str, columns: tuple[str, ...]) -> None:
        import psycopg

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.connection = psycopg.connect(conninfo)
        self.connection.execute("SET session_replication_role = replica")
        self.table, self.columns = table, columns
        _check_columns(self.connection, table, columns)
        self.buffer: list[str] = []
        self.rows = 0
        self.cursor = self.connection.cursor()
        self.copy = self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.stream = self.copy.__enter__()

    def add(self, **values: object) -> None:
        self.buffer.append("\t".join(_text(values[column]) for column in self.columns))
        self.rows += 1
        if len(self.buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.stream.write("\n".join(self.buffer) + "\n")
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self.copy.__exit__(None, None, None)
        self.cursor.close()

    def commit(self) -> None:
        self.connection.commit()
        self.connection.close()


class Raw(str):
    """A value already in COPY's text format (ciphertexts as escaped bytea)."""

    __slots__ = ()


def _check_columns(connection: Any, table: str, given: tuple[str, ...]) -> None:
    """Every NOT NULL column without a default must be given, or the copy fails late."""
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL",
        (table,),
    ).fetchall()
    missing = {row[0] for row in rows} - set(given)
    if missing:
        raise SystemExit(f"bench/console.py does not fill {table}.{sorted(missing)}: update it")


def pseudonym(number: int) -> str:
    # An odd multiplier mod 32^6 is a bijection: unique, and not in counting order.
    value = (number * 0x2F5A3B1 + 12345) % 32**6
    chars = []
    for _ in range(6):
        value, digit = divmod(value, 32)
        chars.append(PSEUDONYM_ALPHABET[digit])
    return "P-" + "".join(chars)


def reference(number: int) -> str:
    # 7_654_321 is coprime with 9_000_000: a bijection onto 7-digit bodies, then the check digit.
    body = str(1_000_000 + (number * 7_654_321 + 17) % 9_000_000)
    return body + check_digit(body)


@dataclass
class Pools:
    """Ciphertexts made once and reused, as the app would write them (same key, same AAD)."""

    descriptions: list[str]
    places: list[tuple[str, list[str]]]  # (ciphertext, the place's terms)
    names: list[str]
    phones: list[str]
    rationales: list[str]

    @classmethod
    def make(cls, ring: Keyring, rng: random.Random) -> Pools:
        def encrypt(value: str, context: str) -> str:
            return _bytea(ring.encrypt(value.encode(), context))

        places = []
        for _ in range(3000):
            place = f"{rng.choice(VILLAGES)} {rng.choice(LANDMARKS)}".strip()
            terms = sorted({term_for(word, ring) for word in place_words(place)})
            places.append((encrypt(place, "grievances.location"), terms))
        return cls(
            descriptions=[
                encrypt(
                    f"Bench grievance {n}: the path to the well is blocked.",
                    "grievances.description",
                )
                for n in range(300)
            ],
            places=places,
            names=[encrypt(f"Person {n}", "people.name") for n in range(300)],
            phones=[encrypt(f"+2547{n:08d}", "people.phone") for n in range(300)],
            rationales=[
                encrypt(f"Assessed in the bench, case {n}.", "involvement_tracks.rationale")
                for n in range(50)
            ],
        )


@dataclass
class TrackPlan:
    organisation_id: int
    kind: str
    state: str
    entered_at: datetime
    id: int = 0  # given as it is copied

    @property
    def ended(self) -> bool:
        return self.state in TRACK_OUTCOMES

    @property
    def due_at(self) -> datetime | None:
        return None if self.ended else self.entered_at + timedelta(days=SPANS[self.state])


@dataclass
class Plan:
    """One grievance as generated: its rows and its audit trail are made from it."""

    number: int
    state: str
    received_at: datetime
    entered_at: datetime  # when it entered its current state
    tracks: list[TrackPlan]

    @property
    def ended(self) -> bool:
        return self.state in ENDED

    @property
    def due_at(self) -> datetime | None:
        if self.ended or self.state == "in_remedy":
            return None
        return self.entered_at + timedelta(days=SPANS[self.state])

    @property
    def overdue_at(self) -> datetime | None:
        """The deadline job flags overdue work a day after its deadline, say."""
        due = self.due_at
        return due + DAY if due is not None and due + DAY < NOW else None

    @property
    def feedback_due_at(self) -> datetime | None:
        return self.received_at + 90 * DAY if self.state in PRE_ASSESSMENT else None

    @property
    def next_due_at(self) -> datetime | None:
        dates = [self.due_at, self.overdue_at, self.feedback_due_at]
        dates += [track.due_at for track in self.tracks]
        known = [value for value in dates if value is not None]
        return min(known) if known and not self.ended else None

    @property
    def track_tags(self) -> str | None:
        tags = set()
        for track in self.tracks:
            tags |= {f"kind:{track.kind}", f"state:{track.state}", f"org:{track.organisation_id}"}
        return f",{','.join(sorted(tags))}," if tags else None


ENDED = ("resolved", "not_admissible", "no_involvement", "withdrawn")
PRE_ASSESSMENT = ("screening", "awaiting_complainant", "assessment")
OUTCOMES = {
    "not_admissible": "not_admissible",
    "no_involvement": "no_involvement",
    "withdrawn": "withdrawn",
}
# By age: how much is still open, and in which states.
OPEN_BY_AGE = (
    (
        90,
        0.90,
        (("screening", 25), ("awaiting_complainant", 12), ("assessment", 23), ("in_remedy", 40)),
    ),
    (
        365,
        0.55,
        (("in_remedy", 75), ("assessment", 15), ("screening", 5), ("awaiting_complainant", 5)),
    ),
    (10**6, 0.10, (("in_remedy", 80), ("assessment", 10), ("under_review", 10))),
)
CLOSED = (("resolved", 65), ("not_admissible", 15), ("no_involvement", 12), ("withdrawn", 8))
KINDS = (("cause", 50), ("contribute", 25), ("directly_linked", 25))


class Generator:
    """Random but reproducible grievances, with the mix described in the module docstring."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng = rng
        self.organisations = [organisation_id for organisation_id, _kind in cast.organisations]
        # The first company has about a third of the tracks; partners are smaller.
        self.weights = [
            30 if i == 0 else (7 if i < 10 else 4) for i in range(len(self.organisations))
        ]
        self.handlers = cast.handlers

    def plan(self, number: int) -> Plan:
        rng = self.rng
        age = rng.uniform(0, 365 * YEARS)
        received = NOW - timedelta(days=age)
        _limit, open_share, states = next(row for row in OPEN_BY_AGE if age <= row[0])
        is_open = rng.random() < open_share
        state = weighted(states)(rng) if is_open else weighted(CLOSED)(rng)
        # Time in the current state: about a quarter of open work is past its deadline.
        span = SPANS.get(state, 30)
        in_state = min(age, rng.uniform(0, span * 1.33)) if is_open else rng.uniform(0, age)
        entered = NOW - timedelta(days=in_state)
        tracks = []
        if state in ("in_remedy", "resolved") or (state == "under_review" and rng.random() < 0.5):
            chosen: set[int] = set()
            while len(chosen) < (2 if rng.random() < 0.15 else 1):
                chosen.add(rng.choices(self.organisations, self.weights)[0])
            for organisation_id in sorted(chosen):
                kind = weighted(KINDS)(rng)
                if state == "in_remedy":
                    track_state = rng.choice(OPEN_TRACK_STATES[kind])
                    track_in = min(age, rng.uniform(0, SPANS[track_state] * 1.33))
                else:
                    track_state = weighted(ENDED_TRACK_STATES[kind])(rng)
                    track_in = rng.uniform(0, age)
                tracks.append(
                    TrackPlan(organisation_id, kind, track_state, NOW - timedelta(days=track_in))
                )
        return Plan(number, state, received, entered, tracks)

    def severity(self, plan: Plan) -> list[int | None]:
        if plan.state not in ("in_remedy", "resolved", "no_involvement", "under_review"):
            return [None, None, None]
        return [self.rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0] for _ in range(3)]

    def assignee(self, plan: Plan) -> int | None:
        share = 0.95 if plan.ended else 0.85
        return self.rng.choice(self.handlers) if self.rng.random() < share else None

    def outcome(self, plan: Plan) -> str | None:
        if plan.state == "resolved":
            return self.rng.choice(("remedied", "partly_remedied", "not_remedied", "referred"))
        return OUTCOMES.get(plan.state)

    def trail(self, plan: Plan) -> Iterator[tuple[datetime, str, str, str, str | None, str]]:
        """(when, action, subject type, subject id, state before, state after) of the state
        changes that led to the plan's states, as the app's audit log records them."""
        subject = reference(plan.number)
        yield plan.received_at, "grievance.submit", "grievance", subject, None, "received"
        yield (
            plan.received_at + timedelta(minutes=1),
            "intake.acknowledge",
            "grievance",
            subject,
            "received",
            "screening",
        )
        direct = {
            "awaiting_complainant": "request_info",
            "not_admissible": "reject",
            "withdrawn": "withdraw",
        }
        if plan.state in direct:
            yield (
                plan.entered_at,
                f"intake.{direct[plan.state]}",
                "grievance",
                subject,
                "screening",
                plan.state,
            )
        if plan.state in ("screening", *direct):
            return
        accepted = plan.received_at + (plan.entered_at - plan.received_at) / 2
        yield accepted, "intake.accept", "grievance", subject, "screening", "assessment"
        if plan.state == "assessment":
            return
        decided = accepted + (plan.entered_at - accepted) / 2
        if plan.state == "no_involvement":
            yield (
                decided,
                "intake.find_no_involvement",
                "grievance",
                subject,
                "assessment",
                plan.state,
            )
            return
        yield decided, "intake.classify", "grievance", subject, "assessment", "in_remedy"
        for track in plan.tracks:
            first, subject = OPEN_TRACK_STATES[track.kind][0], str(track.id)
            yield decided, "track.open", "track", subject, None, first
            if track.state != first and track.entered_at > decided:
                yield track.entered_at, f"{track.kind}.move", "track", subject, first, track.state


def seed_grievances(app: Flask, cast: Cast, count: int, rng: random.Random) -> dict[str, Any]:
    """COPY ``count`` grievances and what hangs off them; returns seconds per phase."""
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    ring = keyring()
    pools = Pools.make(ring, rng)
    generate = Generator(rng, cast)
    pin_hash = Raw(hash_secret("123456"))
    url = db.engine.url.render_as_string(hide_password=False)
    admin = _psycopg(url)
    saved_indexes = _drop_indexes(admin)
    head_seq = int(admin.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()[0])
    grievances = Copier(url, "grievances", GRIEVANCE_COLUMNS)
    people = Copier(
        url, "people", ("id", "pseudonym", "name", "phone", "phone_hash", "language", "created_at")
    )
    links = Copier(
        url, "grievance_people", ("grievance_id", "person_id", "role", "receives_messages")
    )
    tracks = Copier(url, "involvement_tracks", TRACK_COLUMNS)
    terms = Copier(url, "grievance_place_terms", ("grievance_id", "term"))
    events = Copier(url, "audit_events", EVENT_COLUMNS)
    language, channel, risk = weighted(LANGUAGES), weighted(CHANNELS), weighted(RISKS)
    person_id = track_id = 0
    seq, last_hash = head_seq, "0" * 64
    for number in range(1, count + 1):
        plan = generate.plan(number)
        scale, scope, irremediability = generate.severity(plan)
        reprisal, withheld, spoken = risk(rng), rng.random() < 0.2, language(rng)
        place, place_terms = rng.choice(pools.places) if rng.random() < 0.9 else (None, [])
        grievances.add(
            id=number,
            reference=reference(number),
            pin_hash=pin_hash,
            channel=channel(rng),
            language=spoken,
            description=Raw(rng.choice(pools.descriptions)),
            location=Raw(place) if place else None,
            category=rng.choice(CATEGORIES) if rng.random() < 0.9 else None,
            people_affected=rng.choice((1, 1, 1, 2, 5, 40)),
            severity_scale=scale,
            severity_scope=scope,
            severity_irremediability=irremediability,
            reprisal_risk=reprisal,
            identity_withheld=withheld,
            discreet_messages=withheld or reprisal != "none",
            contact_consent=True,
            state=plan.state,
            outcome=generate.outcome(plan),
            received_at=plan.received_at,
            updated_at=plan.entered_at,
            resolved_at=plan.entered_at if plan.state == "resolved" else None,
            jurisdiction="default",
            due_at=plan.due_at,
            overdue_at=plan.overdue_at,
            feedback_due_at=plan.feedback_due_at,
            assigned_user_id=generate.assignee(plan),
            next_due_at=plan.next_due_at,
            track_tags=plan.track_tags,
            version=2 + len(plan.tracks),
        )
        for term in place_terms:
            terms.add(grievance_id=number, term=term)
        extra = rng.choice((1, 2, 3)) if rng.random() < 0.1 else 0
        for role in ["complainant"] + ["affected"] * extra:
            person_id += 1
            phone = rng.random() < 0.7
            people.add(
                id=person_id,
                pseudonym=pseudonym(person_id),
                name=Raw(rng.choice(pools.names)),
                phone=Raw(rng.choice(pools.phones)) if phone else None,
                phone_hash=hashlib.sha256(f"phone{person_id}".encode()).hexdigest()
                if phone
                else None,
                language=spoken,
                created_at=plan.received_at,
            )
            links.add(grievance_id=number, person_id=person_id, role=role, receives_messages=True)
        for track in plan.tracks:
            track_id += 1
            track.id = track_id
            tracks.add(
                id=track_id,
                grievance_id=number,
                organisation_id=track.organisation_id,
                kind=track.kind,
                state=track.state,
                outcome=TRACK_OUTCOMES.get(track.state),
                rationale=Raw(rng.choice(pools.rationales)),
                opened_at=plan.received_at + DAY,
                due_at=track.due_at,
                ended_at=track.entered_at if track.ended else None,
                version=1,
            )
        # The audit trail of state changes, for the supervisor view's recent windows.
        if plan.received_at > NOW - TRAIL_DAYS * DAY:
            for at, action, subject_type, subject_id, before, after in generate.trail(plan):
                seq += 1
                digest = hashlib.sha256(f"bench{seq}".encode()).hexdigest()
                events.add(
                    seq=seq,
                    prev_hash=last_hash,
                    hash=digest,
                    occurred_at=at,
                    actor_kind="staff",
                    actor_id="1",
                    action=action,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    before=None if before is None else json.dumps({"state": before}),
                    after=json.dumps({"state": after}),
                )
                last_hash = digest
    copiers = (grievances, people, links, tracks, terms, events)
    for copier in copiers:
        copier.close()
    for copier in copiers:
        copier.commit()
    # Not a valid hash chain (the events are not hashed as the app hashes them): bench data.
    admin.execute("UPDATE audit_chain_head SET seq = %s, last_hash = %s", (seq, last_hash))
    for table in ("grievances", "people", "involvement_tracks"):
        admin.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM "  # noqa: S608
            + table
            + "))",
            (table,),
        )
    admin.commit()
    timings["copy"] = time.perf_counter() - started
    mark = time.perf_counter()
    for statement in saved_indexes:
        admin.execute(statement)
    admin.commit()
    timings["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    admin.autocommit = True
    admin.execute("VACUUM ANALYZE")
    timings["vacuum_analyze"] = time.perf_counter() - mark
    admin.close()
    timings["rows"] = {copier.table: copier.rows for copier in copiers}
    return timings


TRAIL_DAYS = 120
GRIEVANCE_COLUMNS = (
    "id", "reference", "pin_hash", "channel", "language", "description", "location",
    "category", "people_affected", "severity_scale", "severity_scope",
    "severity_irremediability", "reprisal_risk", "identity_withheld", "discreet_messages",
    "contact_consent", "state", "outcome", "received_at", "updated_at", "resolved_at",
    "jurisdiction", "due_at", "overdue_at", "feedback_due_at", "assigned_user_id",
    "next_due_at", "track_tags", "version",
)  # fmt: skip
TRACK_COLUMNS = (
    "id", "grievance_id", "organisation_id", "kind", "state", "outcome", "rationale",
    "opened_at", "due_at", "ended_at", "version",
)  # fmt: skip
EVENT_COLUMNS = (
    "seq", "prev_hash", "hash", "occurred_at", "actor_kind", "actor_id", "action",
    "subject_type", "subject_id", "before", "after",
)  # fmt: skip
SEEDED_TABLES = (
    "grievances",
    "people",
    "grievance_people",
    "involvement_tracks",
    "grievance_place_terms",
    "audit_events",
)


def _psycopg(url: str) -> Any:
    import psycopg

    return psycopg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def _drop_indexes(connection: Any) -> list[str]:
    """Drop the seeded tables' indexes that back no constraint; return how to rebuild them."""
    rows = connection.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conname = i.indexname)",
        (list(SEEDED_TABLES),),
    ).fetchall()
    for name, _definition in rows:
        connection.execute(f'DROP INDEX "{name}"')
    connection.commit()
    return [definition for _name, definition in rows]


# Measuring ---------------------------------------------------------------------------------


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def signed_in(app: Flask, email: str) -> FlaskClient:
    """Sign in as a person would: password, then a code from the authenticator."""
    with app.app_context():
        user = accounts.find_user(email)
        assert user is not None
        if user.totp_secret is None or user.totp_enrolled_at is None:
            accounts.begin_enrolment(user)
            user.totp_enrolled_at = utcnow()
            db.session.commit()
        secret, last_step = str(user.totp_secret), user.totp_last_step
    # A code is accepted once: after an earlier run, wait for a fresh one.
    while last_step is not None and pyotp.TOTP(secret).timecode(datetime.now(UTC)) <= last_step:
        time.sleep(1)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = CSRF.search(page)
    assert token
    client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    page = client.get("/sign-in/code").get_data(as_text=True)
    token = CSRF.search(page)
    assert token
    response = client.post(
        "/sign-in/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, response.status_code
    return client


def percentiles(values: list[float]) -> dict[str, float]:
    return {**_support.percentiles(values, digits=1), "n": len(values)}


@dataclass
class Case:
    name: str
    run: Callable[[], Any]
    group: str


def page_cases(app: Flask, cast: Cast, samples: dict[str, str]) -> list[Case]:
    clients = {who: signed_in(app, email) for who, email in cast.emails.items()}
    cases = []

    def get(who: str, path: str) -> Callable[[], Any]:
        client = clients[who]

        def run() -> Any:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} as {who}: {response.status_code}")
            return response

        return run

    queries = {
        "queue (open, overdue first)": "/console/",
        "my cases": "/console/?view=mine",
        "overdue": "/console/?view=overdue",
        "awaiting the complainant": "/console/?view=awaiting",
        "state = screening": "/console/?state=screening",
        "state = any, newest first": "/console/?state=any&order=newest",
        "closed, newest first": "/console/?state=ended&order=newest",
        "track = directly linked": "/console/?track_kind=directly_linked",
        "track state = verifying": "/console/?track_state=verifying",
        "organisation (largest)": f"/console/?organisation={cast.organisations[0][0]}",
        "organisation (small)": f"/console/?organisation={cast.organisations[-1][0]}",
        "severity >= 4": "/console/?severity=4",
        "reprisal risk high": "/console/?risk=high",
        "voice in Arabic": "/console/?channel=voice&language=ar",
        "unassigned": "/console/?assignee=none",
        "assignee = a handler": f"/console/?assignee={cast.handlers[3]}",
        "combined: in remedy, cause, severity >= 3, risk": (
            "/console/?state=in_remedy&track_kind=cause&severity=3&risk=recorded"
        ),
        "combined: overdue, Swahili, SMS, high risk": (
            "/console/?overdue=1&language=sw&channel=sms&risk=high"
        ),
        "search: reference (spaced)": f"/console/?state=any&q={samples['reference_spaced']}",
        "search: pseudonym": f"/console/?state=any&q={samples['pseudonym']}",
        "search: place, one word": f"/console/?q={samples['place_word']}",
        "search: place, two words": f"/console/?q={samples['place_words']}",
        "search: place, all states": f"/console/?state=any&q={samples['place_word']}",
        "search: category": "/console/?q=Health",
        "search: no match": "/console/?q=zzzzqqq",
    }
    for name, path in queries.items():
        cases.append(Case(f"page: {name}", get("handler", path), "page"))
    cases.append(Case("page: company handler, queue", get("company", "/console/"), "page"))
    cases.append(
        Case("page: company handler, overdue", get("company", "/console/?view=overdue"), "page")
    )
    # Deep pages: follow the cursor 20 pages down, then time that page.
    with app.app_context():
        actor = Actor.for_user(db.session.get(User, cast.handlers[0]))
        after = None
        for _ in range(20):
            after = search_grievances(
                actor,
                QueueFilters(
                    states=(
                        "screening",
                        "awaiting_complainant",
                        "assessment",
                        "in_remedy",
                        "under_review",
                    )
                ),
                after,
            ).next_cursor
    cases.append(
        Case("page: 21st page of the queue", get("handler", f"/console/?after={after}"), "page")
    )
    return cases


def service_cases(app: Flask, cast: Cast, samples: dict[str, str]) -> list[Case]:
    from remedy.queue.filters import OPEN_STATES

    with app.app_context():
        handler = Actor.for_user(db.session.get(User, cast.handlers[0]))
        company = Actor.for_user(db.session.get(User, cast.company_handler))
    filters = {
        "open, due order": (handler, QueueFilters(states=OPEN_STATES)),
        "overdue": (handler, saved_view(handler, SavedView.OVERDUE)),
        "awaiting": (handler, saved_view(handler, SavedView.AWAITING)),
        "mine": (handler, saved_view(handler, SavedView.MINE)),
        "organisation": (
            handler,
            QueueFilters(states=OPEN_STATES, organisation_id=cast.organisations[1][0]),
        ),
        "track kind": (handler, QueueFilters(states=OPEN_STATES, track_kind=TrackKind.CONTRIBUTE)),
        "newest, any state": (handler, QueueFilters(order=QueueOrder.NEWEST)),
        "text: place": (handler, QueueFilters(text=samples["place_word"])),
        "text: reference": (handler, QueueFilters(text=samples["reference_spaced"])),
        "company staff, open": (company, QueueFilters(states=OPEN_STATES)),
    }
    cases = []
    for name, (actor, chosen) in filters.items():

        def run(actor: Actor = actor, chosen: QueueFilters = chosen) -> Any:
            with app.app_context():
                return search_grievances(actor, chosen)

        cases.append(Case(f"service: {name}", run, "service"))
    return cases


def api_cases(app: Flask, cast: Cast, samples: dict[str, str]) -> list[Case]:
    if not any(rule.rule == "/api/v1/grievances" for rule in app.url_map.iter_rules()):
        print("GET /api/v1/grievances does not exist here: not measured", file=sys.stderr)
        return []
    from remedy.accounts import tokens as api_tokens

    with app.app_context():
        user = db.session.get(User, cast.handlers[0])
        secret = api_tokens.issue_token(OPERATOR, user, "bench", None).secret
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    queries = {
        "default": "",
        "state=screening": "state=screening",
        "overdue": "overdue=true",
        "track_kind": "track_kind=directly_linked",
        "organisation": f"organisation_id={cast.organisations[0][0]}",
        "q=place": f"q={samples['place_word']}",
    }
    cases = []
    for name, query in queries.items():
        path = f"/api/v1/grievances?{query}" if query else "/api/v1/grievances"

        def run(path: str = path) -> Any:
            response = client.get(path, headers=headers)
            if response.status_code != 200:
                raise SystemExit(
                    f"{path}: {response.status_code} {response.get_data(as_text=True)[:300]}"
                )
            return response

        cases.append(Case(f"api: {name}", run, "api"))
    return cases


def samples_from(app: Flask) -> dict[str, str]:
    with app.app_context():
        reference_value = db.session.execute(
            text("SELECT reference FROM grievances WHERE id = (SELECT max(id) / 2 FROM grievances)")
        ).scalar_one()
        pseudonym_value = db.session.execute(
            text("SELECT pseudonym FROM people WHERE id = (SELECT max(id) / 3 FROM people)")
        ).scalar_one()
    return {
        "reference_spaced": f"{reference_value[:4]}+{reference_value[4:]}",
        "pseudonym": pseudonym_value.lower().replace("-", ""),
        "place_word": VILLAGES[7],
        "place_words": f"{VILLAGES[11]}+mill",
    }


def measure(cases: list[Case], repeat: int, warm_up: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for case in cases:
        for _ in range(warm_up):
            case.run()
    for round_number in range(repeat):
        for case in cases:  # interleaved, so a slow moment hurts every case alike
            started = time.perf_counter()
            case.run()
            timings.setdefault(case.name, []).append((time.perf_counter() - started) * 1000)
        del round_number
    return timings


def versions() -> dict[str, str]:
    names = ("flask", "sqlalchemy", "psycopg", "flask-babel")
    return {"python": platform.python_version(), **{name: metadata.version(name) for name in names}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grievances", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each case")
    parser.add_argument("--warm-up", type=int, default=2)
    parser.add_argument("--postgres-url", default=None, help="a role that may create databases")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--reuse", default=None, help="measure a database kept earlier (URL)")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = parser.parse_args()
    random_source = random.Random(20261122)
    instance = Path(tempfile.mkdtemp(prefix="remedy-bench-console-"))
    state_file = Path(tempfile.gettempdir()) / "remedy-bench-console.json"
    if args.reuse:
        saved = json.loads(state_file.read_text())
        url, key, secret = as_psycopg(args.reuse), saved["key"], saved["secret"]
        cast = Cast(**saved["cast"])
        app = make_app(url, instance, key, secret)
        seeding: dict[str, Any] = saved["seeding"]
        run(app, cast, seeding, args)
        return
    admin_url = postgres_admin_url(args.postgres_url)
    if admin_url is None:
        raise SystemExit("No PostgreSQL server that lets this role create databases.")
    with postgres_database(admin_url, "console", args.keep) as (url, _folder):
        key, secret = generate_key(), base64.urlsafe_b64encode(os.urandom(32)).decode()
        app = make_app(url, instance, key, secret)
        started = time.perf_counter()
        migrate(app)
        with app.app_context():
            cast = seed_staff()
            seeding = seed_grievances(app, cast, args.grievances, random_source)
            db.session.remove()
        seeding["total"] = time.perf_counter() - started
        print(
            "seeded:",
            json.dumps(
                {k: (round(v, 1) if isinstance(v, float) else v) for k, v in seeding.items()}
            ),
            file=sys.stderr,
        )
        if args.keep:
            state_file.write_text(
                json.dumps(
                    {"key": key, "secret": secret, "cast": cast.__dict__, "seeding": seeding}
                )
            )
        run(app, cast, seeding, args)


def database_facts(app: Flask) -> dict[str, Any]:
    with app.app_context():

        def one(sql: str) -> Any:
            return db.session.execute(text(sql)).scalar()

        settings = ("shared_buffers", "work_mem", "effective_cache_size")
        tables = ("grievances", "people", "involvement_tracks", "grievance_place_terms")
        return {
            "postgresql": {"version": one("SHOW server_version")}
            | {name: one(f"SHOW {name}") for name in settings},
            "rows": {table: one(f"SELECT count(*) FROM {table}") for table in tables}  # noqa: S608
            | {"audit_events": one("SELECT count(*) FROM audit_events")},
            "open_grievances": one(
                "SELECT count(*) FROM grievances WHERE state NOT IN "
                "('resolved', 'not_admissible', 'no_involvement', 'withdrawn')"
            ),
            "overdue_grievances": one("SELECT count(*) FROM grievances WHERE next_due_at <= now()"),
        }


def supervisor_cases(app: Flask) -> list[Case]:
    """The supervisor page with time per stage recomputed (its cache emptied), and kept."""
    client = signed_in(app, "supervisor2@example.org")

    def recomputed() -> Any:
        app.extensions.pop("remedy.stage_times", None)
        return client.get("/console/supervisor")

    return [
        Case("supervisor page, time per stage recomputed", recomputed, "supervisor"),
        Case(
            "supervisor page, time per stage kept",
            lambda: client.get("/console/supervisor"),
            "supervisor",
        ),
    ]


def run(app: Flask, cast: Cast, seeding: dict[str, Any], args: argparse.Namespace) -> None:
    samples = samples_from(app)
    cases = page_cases(app, cast, samples) + service_cases(app, cast, samples)
    cases += api_cases(app, cast, samples)
    timings = measure(cases, args.repeat, args.warm_up)
    supervisor = measure(supervisor_cases(app), max(3, args.repeat // 5), 1)
    groups: dict[str, list[float]] = {}
    for case in cases:
        groups.setdefault(case.group, []).extend(timings[case.name])
    result = {
        "when": NOW.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_before": LOAD,
            "load_after": os.getloadavg(),
        },
        "versions": versions(),
        **database_facts(app),
        "seeding_seconds": {k: round(v, 1) for k, v in seeding.items() if isinstance(v, float)},
        "all_requests_ms": {group: percentiles(values) for group, values in groups.items()},
        "cases_ms": {name: percentiles(values) for name, values in timings.items()},
        "supervisor_ms": {name: percentiles(values) for name, values in supervisor.items()},
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
