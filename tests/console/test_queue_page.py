"""The queue page: a plain GET form over the queue, rows that name no one, pages by link."""

from __future__ import annotations

import re

from flask import Flask

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.models import Channel, Grievance, ReprisalRisk, Role, TrackKind
from tests.console.case_support import console_for, new_user, text_of
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1] if "<tbody>" in html else ""
    return re.findall(r"<tr[ >].*?</tr>", body, re.S)


def test_the_console_opens_on_the_queue_of_open_work(app: Flask, scenario: Scenario) -> None:
    open_case = scenario.file()
    closed = scenario.to_grievance_state("withdrawn")

    html = console_for(app, scenario.handler).client.get("/console/").get_data(as_text=True)

    assert "<h1>Queue</h1>" in html
    assert display(open_case.reference) in html
    assert display(closed.reference) not in html
    assert f'href="/console/grievances/{open_case.reference}"' in html
    assert "<script" not in html  # every filter and page works without JavaScript


def test_rows_show_pseudonyms_never_names_or_numbers(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file(
        complainant=PersonDetails("Amina Odhiambo", "+254700123456", "en"),
        reprisal_risk=ReprisalRisk.HIGH,
        identity_withheld=True,
    )

    html = console_for(app, scenario.supervisor).client.get("/console/").get_data(as_text=True)

    assert grievance.people[0].person.pseudonym in html
    assert "Amina" not in html
    assert "700123456" not in html
    assert "High reprisal risk" in html
    assert "Identity withheld" in html


def test_filters_are_a_get_form_and_narrow_the_rows(app: Flask, scenario: Scenario) -> None:
    scenario.file(channel=Channel.SMS)
    voice = scenario.file(channel=Channel.VOICE, location="Kisumu market")
    client = console_for(app, scenario.handler).client

    html = client.get("/console/?channel=voice").get_data(as_text=True)
    searched = client.get("/console/?q=KISUMU").get_data(as_text=True)

    assert '<form method="get" action="/console/"' in html
    assert len(rows(html)) == 1
    assert display(voice.reference) in html
    assert '<option value="voice" selected>' in html
    assert len(rows(searched)) == 1
    assert display(voice.reference) in searched


def test_part_of_a_case_number_sent_with_the_form_as_it_stands_finds_an_ended_case(
    app: Flask, scenario: Scenario
) -> None:
    """The form sends its default state too: it must still mean "open, unless a number"."""
    ended = scenario.to_grievance_state("withdrawn")
    client = console_for(app, scenario.handler).client
    form = client.get("/console/").get_data(as_text=True)
    default_state = re.search(r'<option value="([^"]*)" selected>', form)
    assert default_state is not None

    searched = client.get(
        "/console/", query_string={"q": ended.reference[1:6], "state": default_state[1]}
    ).get_data(as_text=True)

    assert len(rows(searched)) == 1
    assert display(ended.reference) in searched


def test_a_bad_filter_shows_the_form_again_with_what_is_wrong(
    app: Flask, scenario: Scenario
) -> None:
    scenario.file()

    response = console_for(app, scenario.handler).client.get("/console/?severity=9")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="filter-error"' in html
    assert "Give a number from 1 to 4." in html
    assert 'role="search"' in html
    assert rows(html) == []


def test_a_broken_page_link_is_a_clear_400(app: Flask, scenario: Scenario) -> None:
    response = console_for(app, scenario.handler).client.get("/console/?after=garbage")

    assert response.status_code == 400
    assert "This page link is not valid any more." in response.get_data(as_text=True)


def test_more_than_a_page_gives_a_next_page_link_keeping_the_filters(
    app: Flask, scenario: Scenario
) -> None:
    filed = {scenario.file().reference for _ in range(51)}
    client = console_for(app, scenario.handler).client

    first = client.get("/console/?channel=sms").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link is not None
    following = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)

    assert "channel=sms" in link.group(1)
    assert len(rows(first)) == 50
    assert len(rows(following)) == 1
    shown = set(re.findall(r"/console/grievances/(\d{8})", first + following))
    assert shown == filed
    assert 'rel="next"' not in following
    assert "First page" in following


def test_the_saved_views_are_in_the_navigation_and_marked_when_open(
    app: Flask, scenario: Scenario
) -> None:
    client = console_for(app, scenario.handler).client

    html = client.get("/console/?view=awaiting").get_data(as_text=True)

    nav = html.split('class="console-nav"', 1)[1].split("</nav>", 1)[0]
    for label in ("Queue", "My cases", "Overdue", "Awaiting the complainant"):
        assert f">{label}</a>" in nav
    assert 'aria-current="page">Awaiting the complainant' in nav
    assert "Supervisor" not in nav  # not a supervisor's account
    assert "<h1>Awaiting the complainant</h1>" in html


def test_my_cases_lists_what_is_assigned_to_me(app: Flask, scenario: Scenario) -> None:
    from remedy.queue.assignment import assign

    mine, other = scenario.file(), scenario.file()
    assign(scenario.supervisor, mine, int(str(scenario.handler.id)))

    html = (
        console_for(app, scenario.handler).client.get("/console/?view=mine").get_data(as_text=True)
    )

    assert display(mine.reference) in html
    assert display(other.reference) not in html
    assert "handler@example.org" in html


def test_a_handler_takes_a_grievance_from_the_queue(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    console = console_for(app, scenario.handler)
    html = console.client.get("/console/").get_data(as_text=True)
    assert "Take it" in html

    response = console.client.post(
        f"/console/grievances/{grievance.reference}/assignment",
        data={
            "csrf_token": csrf_token(html),
            "user_id": str(scenario.handler.id),
            "version": str(grievance.version),
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    taken = db.session.get(Grievance, grievance.id)
    assert taken is not None
    assert taken.assigned_user_id == int(str(scenario.handler.id))


def test_readers_get_no_take_button(app: Flask, scenario: Scenario) -> None:
    scenario.file()

    html = console_for(app, scenario.auditor).client.get("/console/").get_data(as_text=True)

    assert "Take it" not in html
    assert "/assignment" not in html


def test_a_company_user_sees_its_own_track_and_no_one_elses(app: Flask, scenario: Scenario) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)

    html = console_for(app, scenario.company_handler).client.get("/console/").get_data(as_text=True)
    text = text_of(" ".join(rows(html)))

    assert display(grievance.reference) in html
    assert "Caused the harm" in text
    assert "Directly linked to the harm" not in text
    assert "Rift Haulage" not in text


def test_the_console_speaks_the_chosen_language(app: Flask, scenario: Scenario) -> None:
    client = console_for(app, scenario.handler).client
    client.get("/?lang=fr")

    html = client.get("/console/").get_data(as_text=True)

    assert '<html lang="fr"' in html


def test_an_organisation_supervisor_filters_only_by_its_own_organisation(
    app: Flask, scenario: Scenario
) -> None:
    lead = new_user("lead@acme.example", Role.SUPERVISOR, scenario.company)

    html = console_for(app, lead).client.get("/console/").get_data(as_text=True)

    options = html.split('id="filter-organisation"', 1)[1].split("</select>", 1)[0]
    assert "Acme Mining" in options
    assert "Rift Haulage" not in options
