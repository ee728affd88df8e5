"""Sensitive cases (sexual and gender-based violence, children, health): only staff cleared
for them read what the people told and open their files; the rest of the team sees the
category and a marker, in the case page, the queue and its search."""

from __future__ import annotations

import pytest
from flask import Flask

from remedy.accounts.clearance import set_sensitive_clearance
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.models import Category, Role
from remedy.models.check_in import Answer
from remedy.queue.filters import QueueFilters
from remedy.queue.search import search_grievances
from tests.console.case_support import Console, console_for, new_user, text_of, user_of
from tests.sensitive_support import (
    FILE_CONTENT,
    TOLD,
    account,
    attachment_of,
    handler_cleared,
    sensitive_case,
)
from tests.workflows.scenarios import Scenario

MARKER = "Restricted: sensitive case"
RESTRICTED = [Category.SEXUAL_VIOLENCE, Category.CHILDREN, Category.HEALTH]


@pytest.fixture
def cleared(app: Flask) -> Console:
    return console_for(app, handler_cleared("cleared@example.org"))


@pytest.fixture
def uncleared(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def download(reader: Console, reference: str, attachment_id: int) -> tuple[int, bytes]:
    response = reader.client.get(f"/console/grievances/{reference}/attachments/{attachment_id}")
    return response.status_code, response.data


# The case page ---------------------------------------------------------------------------


@pytest.mark.parametrize("category", RESTRICTED)
def test_uncleared_staff_see_the_category_and_a_marker_instead_of_the_story(
    uncleared: Console, scenario: Scenario, category: Category
) -> None:
    grievance = sensitive_case(scenario, category)

    page = text_of(uncleared.html(grievance))

    assert f"Category {category.label}" in page
    assert MARKER in page
    assert TOLD not in page
    assert "report.pdf" not in page
    assert "Files for cleared staff only: 1" in page


def test_cleared_staff_read_the_story_and_the_files(cleared: Console, scenario: Scenario) -> None:
    grievance = sensitive_case(scenario)

    html = cleared.html(grievance)

    assert TOLD in text_of(html)
    assert MARKER not in html
    assert f"/attachments/{attachment_of(grievance).id}" in html


def test_a_case_in_another_category_is_read_by_everyone(
    uncleared: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(category=Category.LAND)

    page = text_of(uncleared.html(grievance))

    assert "The new fence blocks the path to the well." in page
    assert MARKER not in page


# Files -----------------------------------------------------------------------------------


def test_uncleared_staff_cannot_download_a_file_of_a_sensitive_case(
    uncleared: Console, scenario: Scenario
) -> None:
    grievance = sensitive_case(scenario)

    status, body = download(uncleared, grievance.reference, attachment_of(grievance).id)

    assert status == 403
    assert FILE_CONTENT not in body


def test_cleared_staff_download_it(cleared: Console, scenario: Scenario) -> None:
    grievance = sensitive_case(scenario)

    status, body = download(cleared, grievance.reference, attachment_of(grievance).id)

    assert (status, body) == (200, FILE_CONTENT)


def test_a_file_is_found_only_under_its_own_case(cleared: Console, scenario: Scenario) -> None:
    grievance = sensitive_case(scenario)
    other = scenario.file()

    status, _body = download(cleared, other.reference, attachment_of(grievance).id)

    assert status == 404


def test_a_withdrawn_clearance_takes_effect_at_once(cleared: Console, scenario: Scenario) -> None:
    grievance = sensitive_case(scenario)
    set_sensitive_clearance(OPERATOR, account(cleared.actor), False)

    status, _body = download(cleared, grievance.reference, attachment_of(grievance).id)

    assert status == 403
    assert TOLD not in cleared.html(grievance)


def test_a_proxy_account_cannot_be_cleared(scenario: Scenario) -> None:
    proxy = user_of(scenario.proxy)

    with pytest.raises(InvalidInput):
        set_sensitive_clearance(OPERATOR, proxy, True)

    assert not proxy.sensitive


# The queue -------------------------------------------------------------------------------


def test_the_queue_marks_the_case_restricted_for_uncleared_staff_only(
    scenario: Scenario, uncleared: Console
) -> None:
    grievance = sensitive_case(scenario)
    cleared_actor = handler_cleared("reader@example.org")
    by_reference = QueueFilters(text=grievance.reference)

    (mine,) = search_grievances(scenario.handler, by_reference, None, limit=10).items
    (theirs,) = search_grievances(cleared_actor, by_reference, None, limit=10).items

    assert (mine.restricted, theirs.restricted) == (True, False)
    assert MARKER in text_of(uncleared.client.get("/console/").get_data(as_text=True))


@pytest.mark.parametrize("cleared_reader", [False, True])
def test_queue_search_never_matches_what_the_people_told(
    scenario: Scenario, cleared_reader: bool
) -> None:
    grievance = sensitive_case(scenario)
    reader = handler_cleared("searcher@example.org", cleared_reader)

    def found(text: str) -> list[str]:
        page = search_grievances(reader, QueueFilters(text=text), None, limit=200)
        return [item.reference for item in page.items]

    assert grievance.reference not in found("Quorvane")
    assert grievance.reference in found("gender-based violence")


def test_new_staff_are_not_cleared(scenario: Scenario) -> None:
    assert not user_of(new_user("fresh@example.org", Role.HANDLER)).sensitive


def test_check_in_comments_of_a_sensitive_case_show_only_to_cleared_staff(
    cleared: Console, uncleared: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(category=Category.CHILDREN)
    scenario.verify(track)
    scenario.answer_all(track, Answer.PARTLY)  # "The water point is still missing."
    page = f"/console/grievances/{grievance.reference}"

    def read(reader: Console) -> str:
        return text_of(reader.client.get(page).get_data(as_text=True))

    assert "water point" not in read(uncleared)
    assert MARKER in read(uncleared)
    assert "water point" in read(cleared)
