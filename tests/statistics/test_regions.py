"""Where the grievances happened, by the regions the mechanism lists (``REMEDY_REGIONS``):
matched through the place index, small counts hidden, no place below a region shown."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from remedy.core.extensions import db
from remedy.statistics.figures import Figures, compute
from tests.workflows.scenarios import Scenario

# Regions are found through the place index (blind-index SQL): the dialect matters.
pytestmark = pytest.mark.postgres


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_REGIONS": ("Kisumu", "Turkana")}


def counts(figures: Figures) -> dict[str, object]:
    (table,) = [table for table in figures.tables if table.name == "regions"]
    return {row.key: row.cells[0].value for row in table.rows}


@pytest.fixture
def filed(scenario: Scenario) -> None:
    for _ in range(6):
        scenario.file(location="Kisumu, by the old mill")
    scenario.file(location="Lodwar, Turkana county")
    for _ in range(5):
        scenario.file(location="Eldoret market")
    db.session.commit()


@pytest.mark.usefixtures("filed")
def test_each_listed_region_is_counted_and_the_rest_apart(app: Flask) -> None:
    assert counts(compute(suppress=False)) == {
        "Kisumu": 6,
        "Turkana": 1,
        "(none)": 5,
        "total": 12,
    }


@pytest.mark.usefixtures("filed")
def test_a_small_region_is_hidden_with_its_complement(app: Flask) -> None:
    published = counts(compute())

    assert published["Turkana"] is None  # 1: could point to someone
    assert published["total"] == 12
    # Turkana = 12 - 6 - 5 could be worked back: the next smallest is hidden too.
    assert [published["Kisumu"], published["(none)"]].count(None) == 1


@pytest.mark.usefixtures("filed")
def test_no_place_below_a_region_reaches_the_page(app: Flask) -> None:
    page = app.test_client().get("/statistics").get_data(as_text=True)

    assert "Where the grievances happened" in page
    assert "Kisumu" in page
    for words in ("old mill", "Lodwar", "Eldoret"):
        assert words not in page
