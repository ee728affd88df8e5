"""The queue service: who sees what, in which order, through which filters and searches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from remedy.cases import intake
from remedy.cases.deadlines import run_deadlines
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.identity.place_index import place_words, terms_for
from remedy.models import (
    Category,
    Channel,
    Grievance,
    PlaceTerm,
    ReprisalRisk,
    TrackKind,
)
from remedy.models import queue as queue_model
from remedy.models.types import utcnow
from remedy.queue.filters import (
    ENDED_STATES,
    OPEN_STATES,
    QueueFilters,
    QueueOrder,
    SavedView,
    filters_from_args,
    saved_view,
)
from remedy.queue.rows import QueuePage
from remedy.queue.search import search_grievances
from remedy.workflows import INTAKE
from tests.workflows.scenarios import Scenario

# Queue SQL, place search through the blind index.
pytestmark = pytest.mark.postgres

ANY_STATE = QueueFilters()


def references(page: QueuePage) -> list[str]:
    return [item.reference for item in page.items]


def found(actor: Actor, filters: QueueFilters = ANY_STATE) -> set[str]:
    """Every reference the actor finds with these filters, across all pages."""
    seen: list[str] = []
    after = None
    while True:
        page = search_grievances(actor, filters, after, limit=200)
        seen += references(page)
        if page.next_cursor is None:
            return set(seen)
        after = page.next_cursor


def due_in(grievance: Grievance, days: float) -> None:
    """Time passing, seen from the grievance: its deadline is now ``days`` away (or past)."""
    grievance.due_at = utcnow() + timedelta(days=days)
    grievance.feedback_due_at = None
    db.session.commit()


def classified(
    scenario: Scenario,
    plans: list[tuple[str, TrackKind]],
    severity: tuple[int, int, int] = (2, 2, 1),
    **form: object,
) -> Grievance:
    """A grievance in remedy with one track per (organisation, kind)."""
    grievance = scenario.in_assessment(**form)
    organisations = {"company": scenario.company, "partner": scenario.partner}
    intake.classify(
        scenario.handler,
        grievance,
        [intake.TrackPlan(organisations[who], kind, "Assessed.") for who, kind in plans],
        intake.Severity(*severity),
    )
    return grievance


# Who sees what -------------------------------------------------------------------------------


def test_the_mechanism_sees_every_grievance_and_an_organisation_only_its_own(
    scenario: Scenario,
) -> None:
    joint = classified(
        scenario, [("company", TrackKind.CAUSE), ("partner", TrackKind.DIRECTLY_LINKED)]
    )
    partner_only = classified(scenario, [("partner", TrackKind.CAUSE)])
    unassessed = scenario.file()

    assert found(scenario.handler) == {
        joint.reference,
        partner_only.reference,
        unassessed.reference,
    }
    assert found(scenario.auditor) == found(scenario.handler)
    assert found(scenario.company_handler) == {joint.reference}
    assert found(scenario.partner_handler) == {joint.reference, partner_only.reference}


def test_an_organisation_sees_only_its_own_track_of_a_joint_grievance(scenario: Scenario) -> None:
    classified(scenario, [("company", TrackKind.CAUSE), ("partner", TrackKind.DIRECTLY_LINKED)])

    (mechanism_row,) = search_grievances(scenario.handler, ANY_STATE).items
    (company_row,) = search_grievances(scenario.company_handler, ANY_STATE).items

    assert {track.kind for track in mechanism_row.tracks} == {
        TrackKind.CAUSE,
        TrackKind.DIRECTLY_LINKED,
    }
    assert [track.organisation_id for track in company_row.tracks] == [scenario.company.id]


def test_a_proxy_finds_only_the_grievances_it_holds_a_mandate_for(scenario: Scenario) -> None:
    represented, other = scenario.file(), scenario.file()
    scenario.mandate(represented)

    assert found(scenario.proxy) == {represented.reference}
    assert other.reference not in found(scenario.proxy)


def test_an_organisation_cannot_learn_where_another_is_involved_by_filtering(
    scenario: Scenario,
) -> None:
    classified(scenario, [("company", TrackKind.CAUSE), ("partner", TrackKind.DIRECTLY_LINKED)])
    partner = QueueFilters(organisation_id=scenario.partner.id)
    linked = QueueFilters(track_kind=TrackKind.DIRECTLY_LINKED)

    assert found(scenario.handler, partner) != set()
    assert found(scenario.company_handler, partner) == set()
    assert found(scenario.company_handler, linked) == set()


def test_rows_name_no_one_they_carry_pseudonyms(scenario: Scenario) -> None:
    grievance = scenario.file(people=2)
    people = [link.person for link in grievance.people]

    (item,) = search_grievances(scenario.handler, ANY_STATE).items
    shown = " ".join(str(getattr(item, name.name)) for name in fields(item))

    assert set(item.pseudonyms) == {person.pseudonym for person in people}
    assert item.pseudonyms[0] == people[0].pseudonym  # the complainant first
    for person in people:
        assert person.name
        assert person.name not in shown
        assert person.phone
        assert person.phone not in shown
    assert "fence" not in shown  # nor the description


# Order and paging ------------------------------------------------------------------------------


def test_the_most_overdue_come_first_then_the_soonest_due_then_those_without_a_deadline(
    scenario: Scenario,
) -> None:
    soon, late, later, ended = (scenario.file() for _ in range(4))
    due_in(soon, 3)
    due_in(late, -1)
    due_in(later, -5)
    intake.withdraw(scenario.complainant(ended), ended)

    page = search_grievances(scenario.handler, ANY_STATE)

    assert references(page) == [later.reference, late.reference, soon.reference, ended.reference]
    assert [item.overdue for item in page.items] == [True, True, False, False]


def test_newest_first_orders_by_filing(scenario: Scenario) -> None:
    filed = [scenario.file() for _ in range(3)]

    page = search_grievances(scenario.handler, QueueFilters(order=QueueOrder.NEWEST))

    assert references(page) == [grievance.reference for grievance in reversed(filed)]


@pytest.mark.parametrize("order", list(QueueOrder))
def test_pages_follow_one_another_without_gaps_or_repeats(
    scenario: Scenario, order: QueueOrder
) -> None:
    grievances = [scenario.file() for _ in range(7)]
    for days, grievance in zip((4, -2, 4, 1), grievances, strict=False):
        due_in(grievance, days)  # two share a deadline: ties break by id
    for grievance in grievances[5:]:
        intake.withdraw(scenario.complainant(grievance), grievance)  # no deadline any more
    filters = QueueFilters(order=order)
    whole = references(search_grievances(scenario.handler, filters, limit=50))

    walked: list[str] = []
    after = None
    for _ in range(10):
        page = search_grievances(scenario.handler, filters, after, limit=2)
        walked += references(page)
        after = page.next_cursor
        if after is None:
            break

    assert walked == whole
    assert sorted(walked) == sorted(grievance.reference for grievance in grievances)


def test_a_grievance_filed_while_paging_does_not_shift_the_pages(scenario: Scenario) -> None:
    first = [scenario.file() for _ in range(3)]
    filters = QueueFilters(order=QueueOrder.NEWEST)
    page = search_grievances(scenario.handler, filters, limit=2)

    scenario.file()
    rest = search_grievances(scenario.handler, filters, page.next_cursor, limit=2)

    assert references(rest) == [first[0].reference]


BROKEN_CURSORS = {
    "not a cursor": "not a cursor!",
    "the old form (base64 JSON)": "eyJvIjoibmV3ZXN0IiwiayI6bnVsbCwiaSI6MX0",
    "empty parts": "n..",
    "no id": "n.1767225600000000",
    "no time for newest": "n.-.1",
    "a time with its zone": "n.2026-01-01T00:00:00+00:00.1",
    "an id too large": "n.1767225600000000.12345678901",
    "a negative id": "n.1767225600000000.-1",
    "a rank out of range": "p32768.-.1",
    "a rank in the due order": "d3.-.1",
    "a line break after it": "n.1767225600000000.1\n",
    "another order": "d.-.1",
}


def refusal(call: Callable[[], object]) -> InvalidInput | None:
    try:
        call()
    except InvalidInput as refused:
        return refused
    return None


def test_a_broken_cursor_is_refused_clearly(scenario: Scenario) -> None:
    newest = QueueFilters(order=QueueOrder.NEWEST)
    named = {
        case: getattr(
            refusal(lambda cursor=cursor: search_grievances(scenario.handler, newest, cursor)),
            "field",
            None,
        )
        for case, cursor in BROKEN_CURSORS.items()
    }

    assert named == dict.fromkeys(BROKEN_CURSORS, "after")


def test_a_cursor_of_one_order_is_refused_in_the_other(scenario: Scenario) -> None:
    for _ in range(3):
        scenario.file()
    cursor = search_grievances(scenario.handler, ANY_STATE, limit=1).next_cursor
    assert cursor is not None

    with pytest.raises(InvalidInput):
        search_grievances(scenario.handler, QueueFilters(order=QueueOrder.NEWEST), cursor)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cursor=st.text(max_size=80))
def test_any_cursor_gives_a_page_or_a_clear_refusal(scenario: Scenario, cursor: str) -> None:
    refusal = None
    try:
        search_grievances(scenario.handler, ANY_STATE, cursor or None)
    except InvalidInput as refused:
        refusal = refused

    assert refusal is None or refusal.field == "after"


# Filters -------------------------------------------------------------------------------------


@dataclass
class Zoo:
    """One grievance of each kind the filters tell apart."""

    screening: Grievance
    voice: Grievance
    awaiting: Grievance
    cause: Grievance
    linked: Grievance
    proposed: Grievance
    withdrawn: Grievance

    def references(self, *names: str) -> set[str]:
        return {getattr(self, name).reference for name in names}


@pytest.fixture
def zoo(scenario: Scenario) -> Zoo:
    screening = scenario.file(category=Category.LABOUR)
    voice = scenario.file(
        channel=Channel.VOICE,
        language="sw",
        reprisal_risk=ReprisalRisk.HIGH,
        category=Category.LAND,
        location="Kisumu, near the Old Mill",
    )
    awaiting = scenario.to_grievance_state("awaiting_complainant")
    cause = classified(scenario, [("company", TrackKind.CAUSE)])
    linked = classified(
        scenario,
        [("partner", TrackKind.DIRECTLY_LINKED)],
        severity=(4, 1, 1),
        reprisal_risk=ReprisalRisk.LOW,
    )
    proposed = classified(scenario, [("company", TrackKind.CAUSE)])
    scenario.propose(proposed.tracks[0])
    withdrawn = scenario.to_grievance_state("withdrawn")
    due_in(screening, -3)
    return Zoo(screening, voice, awaiting, cause, linked, proposed, withdrawn)


FILTER_CASES = {
    "open states": (
        QueueFilters(states=OPEN_STATES),
        ("screening", "voice", "awaiting", "cause", "linked", "proposed"),
    ),
    "ended states": (QueueFilters(states=ENDED_STATES), ("withdrawn",)),
    "one state": (QueueFilters(states=("awaiting_complainant",)), ("awaiting",)),
    "track kind": (QueueFilters(track_kind=TrackKind.DIRECTLY_LINKED), ("linked",)),
    "track state": (QueueFilters(track_states=("proposed",)), ("proposed",)),
    "overdue": (QueueFilters(overdue=True), ("screening",)),
    "severity": (QueueFilters(min_severity=3), ("linked",)),
    "severity, low bar": (QueueFilters(min_severity=2), ("cause", "linked", "proposed")),
    "reprisal risk": (
        QueueFilters(reprisal_risk=(ReprisalRisk.LOW, ReprisalRisk.HIGH)),
        ("voice", "linked"),
    ),
    "channel": (QueueFilters(channel=Channel.VOICE), ("voice",)),
    "language": (QueueFilters(language="sw"), ("voice",)),
    "awaiting the complainant": (QueueFilters(awaiting_complainant=True), ("awaiting", "proposed")),
    "several at once": (
        QueueFilters(states=OPEN_STATES, min_severity=2, track_kind=TrackKind.CAUSE),
        ("cause", "proposed"),
    ),
}


def test_each_filter_keeps_exactly_the_grievances_it_names(scenario: Scenario, zoo: Zoo) -> None:
    # One zoo for every case (it takes a while to build): each case reports on its own.
    wrong = {
        case: sorted(found(scenario.handler, filters) ^ zoo.references(*expected))
        for case, (filters, expected) in FILTER_CASES.items()
    }

    assert {case: diff for case, diff in wrong.items() if diff} == {}


def test_the_organisation_filter_keeps_grievances_with_a_track_of_it(
    scenario: Scenario, zoo: Zoo
) -> None:
    assert found(scenario.handler, QueueFilters(organisation_id=scenario.partner.id)) == (
        zoo.references("linked")
    )
    assert found(scenario.handler, QueueFilters(organisation_id=scenario.company.id)) == (
        zoo.references("cause", "proposed")
    )


def test_assignee_filters(scenario: Scenario, zoo: Zoo) -> None:
    from remedy.queue.assignment import assign

    assign(scenario.supervisor, zoo.cause, int(str(scenario.handler.id)))

    mine = saved_view(scenario.handler, SavedView.MINE)
    assert found(scenario.handler, mine) == zoo.references("cause")
    assert zoo.cause.reference not in found(scenario.handler, QueueFilters(unassigned=True))
    assert found(scenario.supervisor, saved_view(scenario.supervisor, SavedView.MINE)) == set()


def test_the_saved_views_show_open_work_only(scenario: Scenario, zoo: Zoo) -> None:
    overdue = saved_view(scenario.handler, SavedView.OVERDUE)
    awaiting = saved_view(scenario.handler, SavedView.AWAITING)

    assert found(scenario.handler, overdue) == zoo.references("screening")
    assert found(scenario.handler, awaiting) == zoo.references("awaiting", "proposed")


def test_work_flagged_overdue_by_the_deadline_job_stays_in_the_overdue_view(
    scenario: Scenario,
) -> None:
    grievance = scenario.to_grievance_state("awaiting_complainant")
    due_in(grievance, -1)

    run_deadlines()  # no answer in time: back to screening, flagged
    db.session.refresh(grievance)

    assert grievance.state == "screening"
    assert grievance.overdue_at is not None
    assert found(scenario.handler, saved_view(scenario.handler, SavedView.OVERDUE)) == {
        grievance.reference
    }


def test_an_organisation_sees_its_own_track_deadline_not_another_ones(
    scenario: Scenario,
) -> None:
    grievance = classified(
        scenario, [("company", TrackKind.CAUSE), ("partner", TrackKind.DIRECTLY_LINKED)]
    )
    partner_track = next(t for t in grievance.tracks if t.organisation_id == scenario.partner.id)
    partner_track.due_at = utcnow() - timedelta(days=2)
    db.session.commit()
    overdue = QueueFilters(overdue=True)

    assert found(scenario.handler, overdue) == {grievance.reference}
    assert found(scenario.partner_handler, overdue) == {grievance.reference}
    assert found(scenario.company_handler, overdue) == set()
    (row,) = search_grievances(scenario.company_handler, ANY_STATE).items
    assert not row.overdue


# Search --------------------------------------------------------------------------------------


REFERENCE_SHAPES = ("{r}", "{d}", "{a}-{b}", " {a} {b} ", "{a}.{b}")
PSEUDONYM_SHAPES = {
    "as shown": str,
    "lower case": str.lower,
    "without its dash": lambda p: p.replace("-", ""),
    "without P-": lambda p: p[2:],
}
PLACES_FOUND = ("kisumu", "KISUMU", "Kísumu", "old mill", "mill kisumu")
PLACES_NOT_FOUND = ("kisum", "kisumu river", "nairobi")


def test_a_reference_is_found_as_it_is_displayed_or_typed(scenario: Scenario, zoo: Zoo) -> None:
    reference = zoo.voice.reference
    for shape in REFERENCE_SHAPES:
        text = shape.format(r=reference, d=display(reference), a=reference[:4], b=reference[4:])
        assert found(scenario.handler, QueueFilters(text=text)) == {reference}, text


def test_part_of_a_reference_finds_every_case_holding_those_digits(
    scenario: Scenario, zoo: Zoo
) -> None:
    everyone = found(scenario.handler)
    for part in (zoo.voice.reference[:4], zoo.voice.reference[3:9], zoo.voice.reference[-5:]):
        expected = {reference for reference in everyone if part in reference}
        assert zoo.voice.reference in expected
        assert found(scenario.handler, QueueFilters(text=part)) == expected, part
    # Three digits could be anything: not a reference search.
    assert zoo.voice.reference not in found(
        scenario.handler, QueueFilters(text=zoo.voice.reference[:3])
    )


def test_a_reference_searched_in_the_default_queue_finds_an_ended_case(
    scenario: Scenario, zoo: Zoo
) -> None:
    """The default queue shows open cases, but a reference names one case whatever its state;
    a state chosen on purpose still narrows."""
    withdrawn = zoo.withdrawn.reference
    by_reference = filters_from_args(
        MultiDict({"q": display(withdrawn)}), scenario.handler, OPEN_STATES
    )
    by_part = filters_from_args(MultiDict({"q": withdrawn[:5]}), scenario.handler, OPEN_STATES)
    chosen = filters_from_args(
        MultiDict({"q": display(withdrawn), "state": "open"}), scenario.handler, OPEN_STATES
    )

    assert withdrawn not in found(scenario.handler, QueueFilters(states=OPEN_STATES))
    assert found(scenario.handler, by_reference) == {withdrawn}
    assert withdrawn in found(scenario.handler, by_part)
    assert found(scenario.handler, chosen) == set()


def test_a_pseudonym_is_found_however_it_is_typed(scenario: Scenario, zoo: Zoo) -> None:
    pseudonym = zoo.voice.people[0].person.pseudonym
    for name, shape in PSEUDONYM_SHAPES.items():
        text = shape(pseudonym)
        assert found(scenario.handler, QueueFilters(text=text)) == {zoo.voice.reference}, name


def test_a_place_is_found_by_its_words_in_any_case_or_accent(scenario: Scenario, zoo: Zoo) -> None:
    for text in PLACES_FOUND:
        assert found(scenario.handler, QueueFilters(text=text)) == {zoo.voice.reference}, text


def test_a_place_search_needs_every_word_whole(scenario: Scenario, zoo: Zoo) -> None:
    for text in PLACES_NOT_FOUND:
        assert found(scenario.handler, QueueFilters(text=text)) == set(), text


def test_a_category_is_found_by_its_name(scenario: Scenario, zoo: Zoo) -> None:
    assert found(scenario.handler, QueueFilters(text="housing")) == {zoo.voice.reference}
    assert found(scenario.handler, QueueFilters(text="Work and pay")) == {zoo.screening.reference}


def test_places_are_stored_as_keyed_hashes_never_as_words(scenario: Scenario, zoo: Zoo) -> None:
    terms = set(
        db.session.scalars(select(PlaceTerm.term).where(PlaceTerm.grievance_id == zoo.voice.id))
    )
    words = ["kisumu", "near", "the", "old", "mill"]

    assert place_words(zoo.voice.location) == words
    assert terms == set(terms_for(words))
    assert not any(word in term for term in terms for word in words)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=120))
def test_any_search_text_gives_a_page_never_an_error(scenario: Scenario, text: str) -> None:
    page = search_grievances(scenario.handler, QueueFilters(text=text))

    assert page.items == []


# Keeping the queue's fields in step ---------------------------------------------------------


def assert_queue_fields_fresh(grievance: Grievance) -> None:
    db.session.expire_all()
    stored = db.session.get(Grievance, grievance.id)
    assert stored is not None
    assert stored.next_due_at == queue_model.next_due(stored)
    assert stored.track_tags == queue_model.track_tags(stored)


@pytest.mark.parametrize("state", [s.name for s in INTAKE.states if s.name != "received"])
def test_the_next_deadline_follows_every_intake_state(scenario: Scenario, state: str) -> None:
    grievance = scenario.to_grievance_state(state)

    assert_queue_fields_fresh(grievance)
    if grievance.is_ended:
        assert grievance.next_due_at is None
    elif state == "in_remedy":
        assert grievance.next_due_at == grievance.tracks[0].due_at
    else:
        assert grievance.next_due_at is not None


TRACK_PATHS = [
    (kind, state)
    for kind in TrackKind
    for state in {
        TrackKind.CAUSE: (
            "planning",
            "proposed",
            "dialogue",
            "implementing",
            "verifying",
            "remedied",
        ),
        TrackKind.CONTRIBUTE: ("proposed", "partly_remedied", "referred"),
        TrackKind.DIRECTLY_LINKED: (
            "engaging",
            "escalated",
            "partner_remedying",
            "relationship_ended",
        ),
    }[kind]
]


@pytest.mark.parametrize(("kind", "state"), TRACK_PATHS)
def test_the_next_deadline_and_track_tags_follow_every_track_state(
    scenario: Scenario, kind: TrackKind, state: str
) -> None:
    grievance, (track,) = scenario.in_remedy(kind)

    scenario.to_track_state(track, state)

    assert_queue_fields_fresh(grievance)
    assert f",state:{track.state}," in (grievance.track_tags or "")
    assert f",kind:{kind.value}," in (grievance.track_tags or "")


def test_the_queue_and_the_model_agree_on_the_open_states() -> None:
    assert set(queue_model.OPEN_STATES) == set(OPEN_STATES)


# Reading filters from a query string -----------------------------------------------------------


def test_query_strings_become_filters(scenario: Scenario) -> None:
    args = MultiDict(
        [
            ("state", "open"),
            ("risk", "recorded"),
            ("assignee", "me"),
            ("track_state", "proposed"),
            ("track_state", "verifying"),
            ("severity", "3"),
            ("q", "  Kisumu "),
            ("order", "newest"),
            ("overdue", "1"),
        ]
    )

    filters = filters_from_args(args, scenario.handler)

    assert filters.states == OPEN_STATES
    assert filters.reprisal_risk == (ReprisalRisk.LOW, ReprisalRisk.HIGH)
    assert filters.assignee_id == int(str(scenario.handler.id))
    assert filters.track_states == ("proposed", "verifying")
    assert filters.min_severity == 3
    assert filters.text == "Kisumu"
    assert filters.order is QueueOrder.NEWEST
    assert filters.overdue


def test_a_saved_view_is_refined_by_the_other_fields(scenario: Scenario) -> None:
    filters = filters_from_args(MultiDict({"view": "overdue", "channel": "sms"}), scenario.handler)

    assert filters.overdue
    assert filters.channel is Channel.SMS
    assert filters.states == OPEN_STATES


BAD_FILTERS = [
    ("state", "nowhere"),
    ("track_kind", "caused"),
    ("severity", "5"),
    ("severity", "٥"),  # five in Arabic-Indic digits: read as 5, out of range
    ("risk", "extreme"),
    ("channel", "fax"),
    ("language", "xx"),
    ("assignee", "someone"),
    ("organisation", "-1"),
    ("overdue", "perhaps"),
    ("order", "random"),
    ("view", "everything"),
    ("q", "x" * 201),
    ("q", "a\x00b"),
]


def test_a_bad_filter_is_refused_naming_the_field(scenario: Scenario) -> None:
    named = [
        getattr(
            refusal(
                lambda f=field, v=value: filters_from_args(MultiDict({f: v}), scenario.handler)
            ),
            "field",
            None,
        )
        for field, value in BAD_FILTERS
    ]

    assert named == [field for field, _value in BAD_FILTERS]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    args=st.dictionaries(
        st.sampled_from(
            [
                "state",
                "track_kind",
                "track_state",
                "severity",
                "risk",
                "channel",
                "language",
                "assignee",
                "organisation",
                "overdue",
                "awaiting",
                "order",
                "view",
                "q",
            ]
        ),
        st.text(max_size=30),
    )
)
def test_any_query_string_gives_filters_or_a_clear_refusal(
    scenario: Scenario, args: dict[str, str]
) -> None:
    refusal = None
    try:
        search_grievances(scenario.handler, filters_from_args(MultiDict(args), scenario.handler))
    except InvalidInput as refused:
        refusal = refused

    assert refusal is None or refusal.field in args
