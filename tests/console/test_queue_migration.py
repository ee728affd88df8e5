"""Migration 0008 fills in the queue's fields for grievances filed before it, as the app would."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import Grievance, PlaceTerm, TrackKind
from tests.workflows.scenarios import Scenario

# Migrations: they commit, and the dialect matters.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]


def queue_fields() -> dict[int, tuple[object, ...]]:
    rows = db.session.execute(
        select(Grievance.id, Grievance.next_due_at, Grievance.track_tags).order_by(Grievance.id)
    )
    return {row.id: (row.next_due_at, row.track_tags) for row in rows}


def place_terms() -> set[tuple[int, str]]:
    return {
        (row[0], row[1])
        for row in db.session.execute(select(PlaceTerm.grievance_id, PlaceTerm.term))
    }


def test_the_migration_computes_what_the_app_keeps_in_step(app: Flask, scenario: Scenario) -> None:
    scenario.file(location="Kisumu, near the old mill")
    scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED, location="Lodwar market")
    scenario.to_grievance_state("withdrawn")
    kept, terms = queue_fields(), place_terms()
    assert any(tags for _due, tags in kept.values())
    db.session.remove()

    logging.disable(logging.INFO)
    try:
        downgrade(revision="0007_proxy")
        upgrade()
    finally:
        logging.disable(logging.NOTSET)

    assert queue_fields() == kept
    assert place_terms() == terms
