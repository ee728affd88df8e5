"""Every step a person is asked to take works by SMS, in their language: the message the
workflow step sends their phone, their answer through the signed webhook, the step taken,
and the one reply they get. One test per finding of issue 11."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from remedy.cases import intake, tracks
from remedy.cases.deadlines import run_deadlines
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.messaging import sms_texts
from remedy.models import (
    Answer,
    Grievance,
    InvolvementTrack,
    MessageChannel,
    OutboxMessage,
    RemedyType,
    TrackKind,
)
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import GREETINGS, NOT_A_REPLY, Phone, a_number, added_to, rendered
from tests.workflows.scenarios import Scenario

LANGUAGES = ("en", "fr", "es", "sw", "ar")
# What people type, in each language (not always the word the texts name).
ACCEPT = {"en": "1", "fr": "OUI", "es": "sí", "sw": "Nakubali", "ar": "نعم"}
YES = {"en": "yes", "fr": "Oui", "es": "SI", "sw": "Ndiyo", "ar": "نعم"}
NO = {"en": "NO", "fr": "Non", "es": "no", "sw": "HAPANA", "ar": "لا"}
APPEAL = {"en": "Appeal", "fr": "APPEL", "es": "apelar", "sw": "RUFANI", "ar": "استئناف"}
# The word each language's messages tell people to send.
APPEAL_NAMED = {"en": "APPEAL", "fr": "RECOURS", "es": "APELAR", "sw": "RUFANI", "ar": "استئناف"}
HOW_TO_ANSWER = {
    "en": "Reply 1 to accept, 2 to decline.",
    "fr": "1 pour accepter, 2 pour refuser.",
    "es": "1 para aceptar, 2 para rechazar.",
    "sw": "1 kukubali, 2 kukataa.",
    "ar": "أرسل 1 للقبول، 2 للرفض.",
}
NO_NAMED = {"en": "NO", "fr": "NON", "es": "NO", "sw": "HAPANA", "ar": "لا"}


@dataclass
class Person:
    """A complainant who reads ``language``, with the phone their case's messages go to."""

    scenario: Scenario
    phone: Phone
    language: str

    @property
    def form(self) -> dict[str, object]:
        details = PersonDetails("Awa", self.phone.number, self.language)
        return {"complainant": details, "language": self.language}

    def texts(self, grievance: Grievance, template: str | None = None) -> list[str]:
        """What the workflow's steps sent this phone, as the fake Twilio API took it,
        oldest first (``template``: only that step's message)."""
        db.session.expire_all()
        query = select(OutboxMessage.body).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.channel == MessageChannel.SMS,
            NOT_A_REPLY,
        )
        if template is not None:
            query = query.where(OutboxMessage.template == template)
        queued = set(db.session.scalars(query))
        return [text for text in self.phone.received() if text in queued]

    @property
    def remedy_label(self) -> str:
        with force_locale(self.language):
            return str(RemedyType.CESSATION.label)

    def says(self, text: object, **values: str) -> str:
        return rendered(text, self.language, **values)  # type: ignore[arg-type]

    def proposed(self) -> InvolvementTrack:
        _, (track,) = self.scenario.in_remedy(TrackKind.CAUSE, **self.form)
        self.scenario.propose(track)
        return track


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return sends_to_twilio


@pytest.fixture(params=LANGUAGES)
def person(
    request: pytest.FixtureRequest, scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> Person:
    """Their phone's messages really go out, to the fake Twilio API: each text read here,
    and each reply, is one the phone received."""
    return Person(scenario, Phone(client, a_number(), twilio=fake_twilio), request.param)


def refreshed(item: object) -> None:
    db.session.expire_all()
    db.session.refresh(item)


# A proposal --------------------------------------------------------------------------------


def test_the_proposal_says_what_is_proposed_and_how_to_answer(person: Person) -> None:
    track = person.proposed()

    (text,) = person.texts(track.grievance, "remedy_proposed")

    assert person.remedy_label in text
    assert "Remove the fence." in text
    assert text.endswith(HOW_TO_ANSWER[person.language])


def test_a_proposal_is_accepted_by_sms(person: Person) -> None:
    track = person.proposed()

    reply = person.phone.send(ACCEPT[person.language])

    assert reply == person.says(sms_texts.PROPOSAL_ACCEPTED)
    refreshed(track)
    assert track.state == "implementing"
    assert person.phone.conversations() == []  # an answer, not a new complaint
    # One acknowledgement: the reply. The step's own thank-you waits on the web page.
    assert person.texts(track.grievance, "proposal_accepted") == []


def test_a_proposal_is_declined_with_a_reason(person: Person) -> None:
    track = person.proposed()

    asked = person.phone.send("2")
    reply = person.phone.send("Too little: the path stays closed for months.")

    assert asked == person.says(sms_texts.TELL_WHY)
    assert reply == person.says(sms_texts.PROPOSAL_DECLINED)
    refreshed(track)
    assert track.state == "dialogue"
    assert person.phone.conversations() == []


def test_a_no_word_declines_too(person: Person) -> None:
    track = person.proposed()

    assert person.phone.send(NO[person.language]) == person.says(sms_texts.TELL_WHY)
    refreshed(track)
    assert track.state == "proposed"  # nothing decided until the reason comes


# An appeal ---------------------------------------------------------------------------------


def rejected(person: Person) -> Grievance:
    grievance = person.scenario.file(**person.form)
    intake.reject(
        person.scenario.handler, grievance, "Outside our operations.", person.scenario.court()
    )
    return grievance


def test_a_decision_names_the_appeal_keyword_of_the_reader(person: Person) -> None:
    grievance = rejected(person)

    (text,) = person.texts(grievance, "rejected")

    assert text.rstrip(".").endswith(APPEAL_NAMED[person.language])


def test_the_appeal_keyword_asks_why_and_the_reason_lodges_the_appeal(person: Person) -> None:
    grievance = rejected(person)

    asked = person.phone.send(APPEAL[person.language])
    reply = person.phone.send("The fence is on our land, not outside your site.")

    assert asked == person.says(sms_texts.APPEAL_WHY)
    assert reply == person.says(sms_texts.APPEAL_RECEIVED)
    refreshed(grievance)
    assert grievance.state == "under_review"
    assert person.phone.conversations() == []
    assert person.texts(grievance, "appeal_received") == []


def test_the_reason_may_follow_the_keyword(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "fr")
    grievance = rejected(person)

    reply = person.phone.send("RECOURS la clôture est sur nos terres")

    assert reply == person.says(sms_texts.APPEAL_RECEIVED)
    refreshed(grievance)
    assert grievance.state == "under_review"


def test_appeal_works_from_the_number_once_the_offer_was_answered_elsewhere(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """With no appeal asked just now, the keyword finds the number's own decided case."""
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "sw")
    grievance = rejected(person)
    person.phone.send("HABARI")  # a new conversation: the offer is no longer the newest
    person.phone.send("0")

    assert person.phone.send("RUFANI") == person.says(sms_texts.APPEAL_WHY)
    person.phone.send("Uzio uko kwenye ardhi yetu.")

    refreshed(grievance)
    assert grievance.state == "under_review"


# Closing without confirmation --------------------------------------------------------------


def closed_unconfirmed(person: Person) -> InvolvementTrack:
    _, (track,) = person.scenario.in_remedy(TrackKind.CAUSE, **person.form)
    person.scenario.to_track_state(track, "unconfirmed")
    return track


def test_closing_without_confirmation_names_the_no_word(person: Person) -> None:
    track = closed_unconfirmed(person)

    (text,) = person.texts(track.grievance, "closed_unconfirmed")

    assert f" {NO_NAMED[person.language]} " in text


def test_a_no_word_reopens_as_promised(person: Person) -> None:
    track = closed_unconfirmed(person)
    grievance = track.grievance
    assert grievance.state == "resolved"

    reply = person.phone.send(NO[person.language])

    assert reply == person.says(sms_texts.REOPENED)
    refreshed(track)
    refreshed(grievance)
    assert track.state == "implementing"
    assert grievance.state == "in_remedy"
    assert person.phone.conversations() == []
    assert person.texts(grievance, "reopened") == []


# The team's question -----------------------------------------------------------------------

QUESTION = "Where exactly is the fence?"
ANSWER = "Behind the school, since March."
MORE = "It also blocks the cattle."


def test_the_answer_reaches_the_case_while_a_draft_is_open(person: Person) -> None:
    """An unfinished draft from before the question does not swallow the answer."""
    grievance = person.scenario.file(**person.form)
    person.phone.send(GREETINGS[person.language])
    person.phone.send("Something else: the trucks are too fast.")
    intake.request_info(person.scenario.handler, grievance, QUESTION)

    reply = person.phone.send(ANSWER)
    more = person.phone.send(MORE)

    assert QUESTION in person.texts(grievance, "info_requested")[0]
    assert reply == person.says(sms_texts.INFORMATION_THANKS)
    assert more == person.says(sms_texts.ANSWER_ADDED)
    assert added_to(grievance) == [f"{ANSWER}\n{MORE}"]
    refreshed(grievance)
    assert grievance.state == "screening"
    draft = person.phone.open_conversation()
    assert draft is not None
    assert draft.description == "Something else: the trucks are too fast."
    # One thank-you: the reply, not the reply and the info_received message.
    assert person.texts(grievance, "info_received") == []


# A check-in --------------------------------------------------------------------------------


def verifying(person: Person) -> InvolvementTrack:
    _, (track,) = person.scenario.in_remedy(TrackKind.CAUSE, **person.form)
    person.scenario.verify(track)
    return track


def test_the_check_in_names_the_remedy(person: Person) -> None:
    track = verifying(person)

    (text,) = person.texts(track.grievance, "check_in")

    assert f"{person.remedy_label}: Remove the fence." in text


def test_a_yes_word_answers_the_check_in(person: Person) -> None:
    track = verifying(person)

    reply = person.phone.send(YES[person.language])

    assert reply == person.says(sms_texts.CHECK_IN_THANKS)
    refreshed(track)
    assert track.state == "remedied"
    assert person.phone.conversations() == []
    assert person.texts(track.grievance, "remedied") == []


def test_partly_asks_what_is_missing_and_records_it(person: Person) -> None:
    track = verifying(person)
    (check_in,) = person.scenario.open_check_ins(track)

    asked = person.phone.send("2")
    reply = person.phone.send("The water point is still missing.")

    assert asked == f"{person.says(sms_texts.CHECK_IN_THANKS)} " + person.says(
        sms_texts.WHAT_IS_MISSING
    )
    assert reply == person.says(sms_texts.MISSING_THANKS)
    refreshed(check_in)
    assert check_in.response is not None
    assert check_in.response.answer is Answer.PARTLY
    assert check_in.response.comment == "The water point is still missing."
    refreshed(track)
    assert track.state == "partly_remedied"
    assert track.gap == "The water point is still missing."
    assert person.phone.conversations() == []


def test_a_no_word_disputes_and_asks_what_is_missing(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "sw")
    track = verifying(person)
    (check_in,) = scenario.open_check_ins(track)

    asked = person.phone.send("Hapana")
    person.phone.send("Njia bado imefungwa.")

    assert asked.endswith(person.says(sms_texts.WHAT_IS_MISSING))
    refreshed(check_in)
    assert check_in.response is not None
    assert check_in.response.answer is Answer.NO
    assert check_in.response.comment == "Njia bado imefungwa."
    refreshed(track)
    assert track.state == "implementing"


def test_a_proposal_answered_on_the_web_leaves_the_number_free(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """The ask is closed when its step is no longer open: a 1 is an ordinary message."""
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "en")
    track = person.proposed()
    tracks.accept_proposal(scenario.complainant(track.grievance), track)

    reply = person.phone.send("1")

    assert reply != person.says(sms_texts.PROPOSAL_ACCEPTED)
    assert reply == person.says(sms_texts.WHICH_CASE, reference=display(track.grievance.reference))


def test_after_the_answer_the_draft_still_takes_its_own_answers(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """The answer window takes more words for the team, not the 0 that ends the draft."""
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "en")
    grievance = scenario.file(**person.form)
    person.phone.send("HELLO")
    person.phone.send("Something else: the trucks are too fast.")
    intake.request_info(scenario.handler, grievance, QUESTION)
    person.phone.send(ANSWER)

    assert person.phone.send("0") == person.says(sms_texts.WHERE)
    assert added_to(grievance) == [ANSWER]


def test_a_follow_up_is_answered_by_sms_and_a_no_reopens(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """Months later: "is the problem still solved?" names the remedy; Hapana reopens it."""
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "sw")
    track = verifying(person)
    scenario.answer_all(track, Answer.YES)
    assert track.ended_at is not None
    run_deadlines(track.ended_at + timedelta(days=30, minutes=1))

    (text,) = person.texts(track.grievance, "follow_up")
    reply = person.phone.send("Hapana")

    assert f"{person.remedy_label}: Remove the fence." in text
    assert reply.endswith(person.says(sms_texts.WHAT_IS_MISSING))
    refreshed(track)
    assert track.state == "implementing"
    assert track.grievance.state == "in_remedy"


def test_each_tracks_proposal_is_answered_in_turn(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio
) -> None:
    """Two organisations propose: each proposal is its own question, newest first."""
    person = Person(scenario, Phone(client, a_number(), twilio=fake_twilio), "fr")
    _, both = scenario.in_remedy(TrackKind.CAUSE, TrackKind.CAUSE, **person.form)
    for track in both:
        scenario.propose(track)

    first = person.phone.send("1")
    second = person.phone.send("oui")

    assert first == second == person.says(sms_texts.PROPOSAL_ACCEPTED)
    for track in both:
        refreshed(track)
        assert track.state == "implementing"
