"""Erasing a case's personal data: what retention and an approved request both do.

Everything written about the case is sealed under the case's key, and each person's
name and phone under the person's key (``remedy.models.personal_keys``); erasure
destroys those keys. Before that it clears what no key covers: values written before
the case existed (the SMS conversation that filed it, its inbound messages), values
from before subject keys, and the keyed look-up hashes that would find the people again
(phone hashes, the place index). Columns that may not be empty get a tombstone naming
the case's key, which reads as erased.

A person is erased only when no other case still needs them; otherwise the erased case
gets an anonymous stand-in, so its facts no longer point at them. What stays, for
statistics: category, jurisdiction, dates, states, tracks and their kinds and outcomes,
counts (people, messages, attachments with their sizes). The audit log is never touched:
it holds no personal data, and its chain still verifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Table,
    delete,
    exists,
    false,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import aliased

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.crypto import tombstone
from remedy.core.extensions import db
from remedy.models.check_in import CheckIn
from remedy.models.conversation import Conversation
from remedy.models.data_key import destroy_keys, new_subject_key
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.inbound_message import InboundMessage
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.outbox_message import (
    MessageStatus,
    OutboxMessage,
    draft_reminder_prefix,
    reply_key,
)
from remedy.models.person import Person
from remedy.models.queue import PlaceTerm
from remedy.models.types import EncryptedBytes, _Encrypted, utcnow

# Erased separately (people) or never about a case (keys, staff, pools, drafts).
NOT_CASE_TABLES = frozenset({"people", "data_keys", "users", "prepared_pins", "web_drafts"})


@dataclass(frozen=True)
class Erasure:
    reference: str
    people_erased: int
    people_kept: int
    rows_cleared: int


@dataclass
class _Links:
    """How rows of any table reach the case being erased."""

    grievance_id: int
    track_ids: list[int]
    check_in_ids: list[int]
    conversation_ids: list[int]
    # Only of the people erased with the case: another case may still need the others.
    phone_hashes: list[str]
    person_ids: list[int]
    # Replies and reminders sent before the case existed, known by their outbox keys.
    outbox_keys: list[str] = field(default_factory=list)
    outbox_prefixes: list[str] = field(default_factory=list)

    def condition(self, table: Table) -> ColumnElement[bool]:
        columns = table.c
        found: list[ColumnElement[bool]] = []
        if table.name == Grievance.__tablename__:
            found.append(columns.id == self.grievance_id)
        for name, ids in (
            ("grievance_id", [self.grievance_id]),
            ("track_id", self.track_ids),
            ("check_in_id", self.check_in_ids),
            ("conversation_id", self.conversation_ids),
            ("phone_hash", self.phone_hashes),
            ("person_id", self.person_ids),
        ):
            if name in columns and ids:
                found.append(columns[name].in_(ids))
        if "dedupe_key" in columns:
            found.append(columns.dedupe_key.in_(self.outbox_keys))
            found += [columns.dedupe_key.startswith(prefix) for prefix in self.outbox_prefixes]
        return or_(*found) if found else false()


def _still_needed(person_id: int, grievance: Grievance) -> bool:
    other = aliased(Grievance)
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    GrievancePerson.person_id == person_id,
                    GrievancePerson.grievance_id == other.id,
                    other.id != grievance.id,
                    other.erased_at.is_(None),
                )
            )
        )
    )


def _stand_in(person: Person, links: _Links) -> None:
    """The case keeps a person (counts hold) who is no longer the one still on file."""
    stand_in = Person(language=person.language)
    db.session.add(stand_in)
    db.session.flush()
    for table in (t for t in db.metadata.sorted_tables if "person_id" in t.c):
        if table.name == GrievancePerson.__tablename__:
            where = table.c.grievance_id == links.grievance_id
        else:
            where = links.condition(table)
        db.session.execute(
            update(table).where(where, table.c.person_id == person.id).values(person_id=stand_in.id)
        )


def _erase_people(grievance: Grievance, links: _Links) -> tuple[list[str], int]:
    """Erase those no other case needs; the key ids to destroy, and how many were kept."""
    keys, kept = [], 0
    people = db.session.scalars(
        select(Person)
        .join(GrievancePerson, GrievancePerson.person_id == Person.id)
        .where(GrievancePerson.grievance_id == grievance.id)
    ).all()
    for person in people:
        if _still_needed(person.id, grievance):
            _stand_in(person, links)
            kept += 1
            continue
        links.person_ids.append(person.id)
        if person.phone_hash:
            links.phone_hashes.append(person.phone_hash)
        if person.data_key_id:
            keys.append(person.data_key_id)
        person.name = person.phone = person.phone_hash = None
        person.erased_at = utcnow()
    return keys, kept


def _clear_rows(links: _Links, key_id: bytes) -> int:
    """Every encrypted value of the case's rows: NULL, or a tombstone where NULL is refused."""
    cleared = 0
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, _Encrypted)]
        if not columns or table.name in NOT_CASE_TABLES:
            continue
        # Past the column type: the tombstone is stored as it is, not encrypted again.
        # Files get one too (they read as empty bytes, as code that serves them expects).
        values: dict[str, object] = {
            c.name: None
            if c.nullable and not isinstance(c.type, EncryptedBytes)
            else type_coerce(tombstone(key_id), LargeBinary)
            for c in columns
        }
        if "phone_hash" in table.c and not table.c.phone_hash.nullable:
            values["phone_hash"] = ""
        result = db.session.execute(
            update(table)
            .where(links.condition(table))
            .values(values)
            .execution_options(synchronize_session=False)
        )
        cleared += max(result.rowcount, 0)  # type: ignore[attr-defined]
    return cleared


def _links(grievance: Grievance) -> _Links:
    track_ids = list(
        db.session.scalars(
            select(InvolvementTrack.id).where(InvolvementTrack.grievance_id == grievance.id)
        )
    )
    check_in_ids = (
        list(db.session.scalars(select(CheckIn.id).where(CheckIn.track_id.in_(track_ids))))
        if track_ids
        else []
    )
    conversation_ids = list(
        db.session.scalars(select(Conversation.id).where(Conversation.grievance_id == grievance.id))
    )
    return _Links(grievance.id, track_ids, check_in_ids, conversation_ids, [], [])


def erase_case(actor: Actor, grievance: Grievance, basis: str) -> Erasure:
    """Run inside the caller's unit of work; ``basis`` (retention, request) is audited."""
    db.session.flush()
    links = _links(grievance)
    if grievance.data_key_id is None:  # a case from before subject keys
        grievance.data_key_id = new_subject_key(db.session(), "grievance").name
        db.session.flush()
    person_keys, kept = _erase_people(grievance, links)
    db.session.flush()
    # Conversations that filed it, or drafts of the people erased, once ended.
    links.conversation_ids += db.session.scalars(
        select(Conversation.id).where(
            Conversation.phone_hash.in_(links.phone_hashes), Conversation.open_key.is_(None)
        )
    ).all()
    inbound = select(InboundMessage.id).where(
        or_(
            InboundMessage.conversation_id.in_(links.conversation_ids),
            InboundMessage.phone_hash.in_(links.phone_hashes),
        )
    )
    links.outbox_keys = [reply_key(found) for found in db.session.scalars(inbound)]
    links.outbox_prefixes = [draft_reminder_prefix(found) for found in links.conversation_ids]
    db.session.execute(
        update(OutboxMessage)
        .where(
            links.condition(OutboxMessage.__table__), OutboxMessage.status == MessageStatus.PENDING
        )
        .values(status=MessageStatus.FAILED)
        .execution_options(synchronize_session=False)
    )
    cleared = _clear_rows(links, bytes.fromhex(grievance.data_key_id))
    db.session.execute(delete(Conversation).where(Conversation.id.in_(links.conversation_ids)))
    db.session.execute(delete(PlaceTerm).where(PlaceTerm.grievance_id == grievance.id))
    destroy_keys([grievance.data_key_id, *person_keys])
    db.session.expire_all()
    grievance.erased_at = utcnow()
    erased = len(links.person_ids)
    audit.record(
        actor,
        "grievance.erase",
        "grievance",
        grievance.reference,
        after={"basis": basis, "people_erased": erased, "people_kept": kept},
    )
    db.session.flush()
    return Erasure(grievance.reference, erased, kept, cleared)
