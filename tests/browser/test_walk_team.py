"""A handler on a 390 px phone, in French and in Arabic: reads the queue as cards, finds an
ended case by part of its number, reads the timeline in their language, classifies a new
case with the severity guidance in view, and checks a receipt someone brings
(tests/browser/walks.py)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from remedy.core.extensions import db
from remedy.filing.receipts import receipt_for
from remedy.models import Grievance, ReprisalRisk
from tests.browser.walks import Walk
from tests.console.case_support import enrolled, user_of
from tests.workflows.scenarios import Scenario


def grouped(reference: str) -> str:
    return f"{reference[:4]} {reference[4:]}"


def test_a_handler_works_the_queue_and_a_case_on_a_phone(walk: Walk) -> None:
    page = walk.page
    team = Scenario.create()
    new = team.file()
    new.reprisal_risk = ReprisalRisk.HIGH
    ended = team.to_grievance_state("resolved")
    db.session.commit()
    receipt = receipt_for(new)
    walk.sign_in(enrolled(user_of(team.handler)))

    walk.go("/console/", "queue")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)  # the open case only

    # Part of an ended case's number finds it, whatever its state.
    page.locator("#filter-q").fill(walk.digits(ended.reference[2:7]))
    page.locator("form.filters button[type=submit]").click()
    walk.check("queue-search")
    expect(page.locator("table.queue tbody")).to_contain_text(grouped(ended.reference))
    page.locator("table.queue tbody a", has_text=grouped(ended.reference)).first.click()
    walk.check("ended-case")
    timeline = page.locator("#timeline")
    expect(timeline).to_be_visible()
    titles = timeline.locator(".tl-title").all_inner_texts()
    assert titles, "the ended case has a history"
    raw_keys = [title for title in titles if re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", title)]
    assert not raw_keys, f"events shown by their keys: {raw_keys}"

    # A new case: its reprisal risk stands out, and classifying shows what each level means.
    walk.go(f"/console/grievances/{new.reference}", "new-case")
    expect(page.locator(".flag-risk-high")).to_be_visible()
    page.locator("#trigger-accept-form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    classify = page.locator("details.trigger:has(select[name$=severity-scale])").first
    classify.locator("summary").click()
    for part in ("scale", "scope", "irremediability"):
        expect(classify.locator(f"p.hint[id$=severity-{part}-help]")).to_be_visible()
    walk.check("classify")

    # Someone brings a paper receipt: the console checks it.
    walk.go("/console/receipts", "receipts")
    page.locator("input[name=reference]").fill(walk.digits(grouped(new.reference)))
    page.locator("input[name=code]").fill(receipt.code)
    walk.submit()
    expect(page.locator("#receipt-result.flash-success")).to_be_visible()
    walk.check("receipt-verified")
    # The SMS simulator, to show a newcomer what a phone sees.
    walk.go("/console/simulator/", "sms-simulator")
    channel = page.locator("input[name=channel]").first
    label = page.locator(f"label[for={channel.get_attribute('id')}]")
    assert label.count() == 1, "each channel choice has its own label"
    db.session.rollback()
    assert db.session.get(Grievance, new.id).state == "assessment"  # type: ignore[union-attr]
