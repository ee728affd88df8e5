"""Checking a case with the reference and PIN: what is happening in plain words, what
happened so far, messages from the team, and the steps the workflow allows the
complainant now (add information, accept or decline a proposal, answer a check-in,
appeal, withdraw)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from remedy.access.case_access import MAX_FAILURES
from remedy.cases import intake, notes, replies, tracks
from remedy.core.extensions import db
from remedy.models.added_information import AddedInformation
from remedy.models.check_in import Answer
from remedy.models.grievance import Outcome, ReprisalRisk
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.models.remedy_action import RemedyType
from tests.web.conftest import Case, WebVisitor, in_remedy
from tests.workflows.scenarios import Scenario

FilledCase = Callable[..., Case]


def opened(visitor: WebVisitor, case: Case) -> str:
    """Open the case with its PIN; the case page's HTML."""
    response = visitor.open_case(case.reference, case.pin)
    assert response.status_code == 302, response.text
    assert response.location == f"/case/{case.reference}"
    return visitor.get(response.location).text


def buttons(html: str) -> list[str]:
    """The link and button texts of the page's main part."""
    main = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    found = re.findall(
        r'<(?:a|button)\b[^>]*class="button[^"]*"[^>]*>(.*?)</(?:a|button)>', main, re.S
    )
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


# Opening a case ------------------------------------------------------------------------------


def test_the_reference_and_pin_open_the_case_in_plain_words(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()

    html = opened(visitor, case)

    assert "We are checking that we can handle your case." in html
    assert "We will tell you if we accept it." in html
    assert f"Case {case.reference[:4]} {case.reference[4:]}" in html


def test_the_reference_may_be_typed_with_spaces(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()

    response = visitor.open_case(f"{case.reference[:4]} {case.reference[4:]}", case.pin)

    assert response.location == f"/case/{case.reference}"


@pytest.mark.parametrize("wrong", ["pin", "reference", "both"])
def test_a_wrong_pin_and_an_unknown_case_get_the_same_answer(
    visitor: WebVisitor, filed_case: FilledCase, wrong: str
) -> None:
    case = filed_case()
    other_pin = "000000" if case.pin != "000000" else "111111"
    reference = "12345674" if wrong in ("reference", "both") else case.reference
    pin = other_pin if wrong in ("pin", "both") else case.pin

    response = visitor.open_case(reference, pin)

    assert response.status_code == 400
    assert "We found no case with this number and PIN." in response.text
    assert 'aria-describedby="pin-hint pin-error"' in response.text


def test_after_five_wrong_pins_even_the_right_one_gets_the_same_answer_for_a_while(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    wrong = "000000" if case.pin != "000000" else "111111"
    for _ in range(MAX_FAILURES):
        visitor.open_case(case.reference, wrong)

    response = visitor.open_case(case.reference, case.pin)

    assert response.status_code == 400
    assert "We found no case with this number and PIN." in response.text


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PIN_LOOKUP_RATE_LIMIT": "8 per hour"}])
def test_one_browser_cannot_guess_on_and_on(visitor: WebVisitor, filed_case: FilledCase) -> None:
    cases = [filed_case() for _ in range(3)]
    for index in range(8):  # a few guesses on each case: no case locks
        visitor.open_case(cases[index % 3].reference, "999999")

    response = visitor.open_case(cases[0].reference, cases[0].pin)

    assert response.status_code == 429
    assert "Too many tries" in response.text


def test_missing_answers_are_explained(visitor: WebVisitor) -> None:
    response = visitor.open_case("", "")

    assert response.status_code == 400
    assert "Give your case number." in response.text
    assert "Give your PIN." in response.text


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reference=st.text(max_size=30), pin=st.text(max_size=30))
def test_whatever_is_typed_the_case_form_answers_with_a_page_never_a_server_error(
    visitor: WebVisitor, reference: str, pin: str
) -> None:
    response = visitor.open_case(reference, pin)

    assert response.status_code in (400, 429)


def test_a_case_page_needs_the_pin_in_this_browser(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()

    response = visitor.get(f"/case/{case.reference}")

    assert response.location == f"/case?reference={case.reference}"
    assert case.reference in visitor.get(response.location).text


def test_opening_one_case_does_not_open_another(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    mine, other = filed_case(), filed_case()
    opened(visitor, mine)

    assert visitor.get(f"/case/{other.reference}").location.startswith("/case?")


def test_the_case_stays_open_for_15_minutes_without_activity(
    visitor: WebVisitor, filed_case: FilledCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import channels.web

    case = filed_case()
    opened(visitor, case)
    start = channels.web._now()

    monkeypatch.setattr(channels.web, "_now", lambda: start + 14 * 60)
    assert visitor.get(f"/case/{case.reference}").status_code == 200
    monkeypatch.setattr(channels.web, "_now", lambda: start + 2 * 14 * 60)
    assert visitor.get(f"/case/{case.reference}").status_code == 200
    monkeypatch.setattr(channels.web, "_now", lambda: start + 2 * 14 * 60 + 16 * 60)
    assert visitor.get(f"/case/{case.reference}").status_code == 302


def test_the_case_can_be_closed_on_a_shared_phone(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(f"/case/{case.reference}/close", page=f"/case/{case.reference}")

    assert response.location == "/"
    assert visitor.get(f"/case/{case.reference}").status_code == 302


# What the case page tells, and what it never tells ----------------------------------------


def test_the_history_tells_what_happened_without_internal_work(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    notes.add_note(scenario.handler, case.grievance, "Neighbour says the fence is legal.")
    intake.accept(scenario.handler, case.grievance)

    html = opened(visitor, case)

    history = html.split("What happened so far", 1)[1]
    assert history.index("We accepted your case") < history.index("We received your case.")
    assert "You told us what happened." in history
    assert "Neighbour" not in html
    assert "handler@example.org" not in html
    assert "Acme" not in html


def test_messages_from_the_team_are_shown_and_staff_alerts_are_not(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    replies.send_reply(scenario.handler, case.grievance, "Please send a photo of the fence.")
    db.session.add(
        OutboxMessage(
            dedupe_key="alert:test",
            grievance_id=case.grievance.id,
            channel=MessageChannel.CONSOLE,
            language="en",
            template="staff_overdue",
            body="Internal: overdue in screening.",
        )
    )
    db.session.commit()

    html = opened(visitor, case)

    messages = html.split("Messages from the team", 1)[1]
    assert "Please send a photo of the fence." in messages
    assert "We received your complaint" in messages
    assert "Internal: overdue" not in html


# Acting on the case ------------------------------------------------------------------------


def test_information_can_be_added_at_any_time(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(
        f"/case/{case.reference}/information", {"information": "The fence went up on Monday."}
    )

    assert response.location == f"/case/{case.reference}"
    (added,) = db.session.scalars(select(AddedInformation)).all()
    assert added.text == "The fence went up on Monday."
    assert "We added your information" in visitor.get(response.location).text


def test_information_answers_the_teams_question(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    intake.request_info(scenario.handler, case.grievance, "Where exactly is the fence?")
    db.session.commit()
    html = opened(visitor, case)
    assert "We asked you for more information." in html

    visitor.post(f"/case/{case.reference}/information", {"information": "At the school gate."})

    assert case.grievance.state == "screening"


def test_empty_information_is_explained(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()
    opened(visitor, case)

    response = visitor.post(f"/case/{case.reference}/information", {"information": "  "})

    assert response.status_code == 400
    assert "Write the information you want to add." in response.text


def test_a_proposal_is_shown_and_accepted(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.propose(track)
    html = opened(visitor, case)
    assert "A remedy is proposed to you: accept or decline" in buttons(html)

    page = visitor.get(f"/case/{case.reference}/proposal/{track.id}").text
    assert "Stopping the harm" in page
    assert "Remove the fence." in page
    response = visitor.post(f"/case/{case.reference}/proposal/{track.id}", {"decision": "accept"})

    assert response.location == f"/case/{case.reference}"
    assert track.state == "implementing"


def test_declining_a_proposal_needs_a_reason(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.propose(track)
    opened(visitor, case)
    path = f"/case/{case.reference}/proposal/{track.id}"

    refused = visitor.post(path, {"decision": "decline", "decline-reason": ""})
    assert refused.status_code == 400
    assert "Tell us why" in refused.text
    assert track.state == "proposed"

    visitor.post(path, {"decision": "decline", "decline-reason": "The path must be rebuilt too."})
    assert track.state == "dialogue"


def test_no_proposal_page_when_nothing_is_proposed(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    opened(visitor, case)

    assert visitor.get(f"/case/{case.reference}/proposal/{track.id}").status_code == 404


@pytest.mark.parametrize(
    ("answer", "track_state", "outcome"),
    [
        ("yes", "remedied", Outcome.REMEDIED),
        ("partly", "partly_remedied", Outcome.PARTLY_REMEDIED),
        ("no", "implementing", None),
    ],
)
def test_the_complainant_confirms_whether_the_remedy_arrived(
    visitor: WebVisitor,
    filed_case: FilledCase,
    scenario: Scenario,
    answer: str,
    track_state: str,
    outcome: Outcome | None,
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.verify(track)
    html = opened(visitor, case)
    assert "Did the remedy reach you? Answer" in buttons(html)
    (check_in,) = scenario.open_check_ins(track)

    response = visitor.post(
        f"/case/{case.reference}/question/{check_in.id}",
        {"answer": answer, "comment": "The water point is missing."},
    )

    assert response.location == f"/case/{case.reference}"
    assert check_in.response is not None
    assert check_in.response.answer is Answer(answer)
    assert track.state == track_state
    assert case.grievance.outcome is outcome


def test_a_question_needs_an_answer(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.verify(track)
    opened(visitor, case)
    (check_in,) = scenario.open_check_ins(track)

    response = visitor.post(f"/case/{case.reference}/question/{check_in.id}", {})

    assert response.status_code == 400
    assert "Choose yes, partly or no." in response.text
    assert track.state == "verifying"


def test_an_answered_question_is_not_asked_again(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.verify(track)
    opened(visitor, case)
    (check_in,) = scenario.open_check_ins(track)
    visitor.post(f"/case/{case.reference}/question/{check_in.id}", {"answer": "yes"})

    assert visitor.get(f"/case/{case.reference}/question/{check_in.id}").status_code == 404


def test_a_decision_can_be_appealed_once(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    intake.reject(scenario.handler, case.grievance, "Outside our operations.", scenario.court())
    html = opened(visitor, case)
    assert "Appeal the decision" in buttons(html)

    refused = visitor.post(f"/case/{case.reference}/appeal", {"reason": ""})
    assert refused.status_code == 400
    visitor.post(f"/case/{case.reference}/appeal", {"reason": "The fence is on our land."})

    assert case.grievance.state == "under_review"
    assert "Appeal the decision" not in buttons(visitor.get(f"/case/{case.reference}").text)
    assert visitor.get(f"/case/{case.reference}/appeal").status_code == 404


def test_there_is_nothing_to_appeal_before_a_decision(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    html = opened(visitor, case)

    assert "Appeal the decision" not in buttons(html)
    assert visitor.get(f"/case/{case.reference}/appeal").status_code == 404


def test_withdrawing_asks_for_confirmation_first(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    page = visitor.get(f"/case/{case.reference}/withdraw")
    assert page.status_code == 200
    assert case.grievance.state == "screening"
    visitor.post(f"/case/{case.reference}/withdraw", {})

    assert case.grievance.state == "withdrawn"
    html = visitor.get(f"/case/{case.reference}").text
    assert "Your case was withdrawn." in html
    assert "Withdraw my case" not in buttons(html)
    assert "Add information" not in buttons(html)


def test_i_was_asked_to_answer_leads_to_what_waits(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    track = in_remedy(scenario, case.grievance)
    scenario.propose(track)

    response = visitor.open_case(case.reference, case.pin, path="/answer")

    assert response.location == f"/case/{case.reference}/answer"
    page = visitor.get(response.location).text
    assert f'href="/case/{case.reference}/proposal/{track.id}"' in page


def test_nothing_waits_says_so(visitor: WebVisitor, filed_case: FilledCase) -> None:
    case = filed_case()

    visitor.open_case(case.reference, case.pin, path="/answer")

    assert (
        "Nothing waits for your answer now." in visitor.get(f"/case/{case.reference}/answer").text
    )


def test_a_receipt_can_be_printed_later_from_the_case(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)

    html = visitor.get(f"/case/{case.reference}/receipt").text

    assert 'id="verification-code"' in html
    assert f"{case.pin[:3]} {case.pin[3:]}" not in html
    assert f'href="/case/{case.reference}">Back to your case</a>' in html


def test_a_withdrawn_case_takes_no_more_information(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    case = filed_case()
    opened(visitor, case)
    visitor.post(f"/case/{case.reference}/withdraw", {})

    assert visitor.get(f"/case/{case.reference}/information").status_code == 404
    assert db.session.scalar(select(AddedInformation)) is None


def test_a_discreet_case_lists_each_message_once_without_the_phone_notice(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    """The phone of someone at risk only hears "there is news"; the page shows the words,
    once each, not the notice after every one of them."""
    case = filed_case(reprisal_risk=ReprisalRisk.HIGH)
    assert case.grievance.discreet_messages
    intake.request_info(scenario.handler, case.grievance, "Where exactly is the fence?")
    db.session.commit()
    sent = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == case.grievance.id,
            OutboxMessage.channel == MessageChannel.SMS,
        )
    ).all()
    assert sent
    assert all("There is news" in message.body for message in sent)

    html = opened(visitor, case)

    listed = html.split('id="messages-title"', 1)[1].split("</section>", 1)[0]
    assert "There is news" not in html
    assert listed.count("Where exactly is the fence?") == 1


@pytest.mark.parametrize(
    ("language", "plain", "legal"),
    [
        ("en", "Steps so it does not happen again", "Guarantee of non-repetition"),
        ("fr", "Des mesures pour que cela ne se reproduise pas", "Garantie de non-répétition"),
    ],
)
def test_a_proposal_names_each_remedy_in_everyday_words(
    visitor: WebVisitor,
    filed_case: FilledCase,
    scenario: Scenario,
    language: str,
    plain: str,
    legal: str,
) -> None:
    """The legal names of remedies (UNGP) are for the team; the people read plain words."""
    case = filed_case(language=language)
    track = in_remedy(scenario, case.grievance)
    plan = tracks.RemedyActionPlan(RemedyType.NON_REPETITION, "Fence the quarry.")
    tracks.propose_remedy(scenario.handler, track, [plan], [])
    db.session.commit()
    opened(visitor, case)

    page = visitor.get(f"/case/{case.reference}/proposal/{track.id}?lang={language}").text

    assert plain in page
    assert legal not in page
    assert "Fence the quarry." in page


def test_the_teams_question_waits_on_the_answer_page_with_a_way_to_answer(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    """'I was asked to answer' said nothing waited while the team's question was open."""
    case = filed_case()
    intake.request_info(scenario.handler, case.grievance, "Where exactly is the fence?")
    db.session.commit()
    visitor.open_case(case.reference, case.pin, path="/answer")

    page = visitor.get(f"/case/{case.reference}/answer").text

    assert "Nothing waits for your answer now." not in page
    assert "Where exactly is the fence?" in page
    assert "Answer our question" in buttons(page)
    assert f'href="/case/{case.reference}/information"' in page

    visitor.post(f"/case/{case.reference}/information", {"information": "At the school gate."})

    after = visitor.get(f"/case/{case.reference}/answer").text
    assert "Nothing waits for your answer now." in after
