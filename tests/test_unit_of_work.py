"""The unit of work: durable work commits on its own and never takes a caller's work along."""

from __future__ import annotations

import pytest
from flask import Flask

from remedy.core.extensions import db
from remedy.core.unit_of_work import NestedDurableWork, atomic, durable
from remedy.models.organisation import Organisation, OrganisationKind


def _organisation(name: str) -> Organisation:
    return Organisation(name=name, kind=OrganisationKind.COMPANY)


def test_durable_work_commits_on_its_own(app: Flask) -> None:
    with durable():
        db.session.add(_organisation("Kept"))
    db.session.rollback()

    assert db.session.query(Organisation).filter_by(name="Kept").count() == 1


def test_durable_work_refuses_to_run_inside_another_unit_of_work(app: Flask) -> None:
    def half_done_then_durable() -> None:
        with atomic():
            db.session.add(_organisation("Half done"))
            db.session.flush()
            with durable():
                pass

    with pytest.raises(NestedDurableWork):
        half_done_then_durable()

    assert db.session.query(Organisation).filter_by(name="Half done").count() == 0


def test_durable_work_refuses_to_commit_changes_left_in_the_session(app: Flask) -> None:
    db.session.add(_organisation("Left over"))

    with pytest.raises(NestedDurableWork), durable():
        pass
    db.session.rollback()

    assert db.session.query(Organisation).filter_by(name="Left over").count() == 0
