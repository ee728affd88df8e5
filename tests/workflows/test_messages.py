"""Closing the loop: every step that matters to the affected people queues exactly one message
per recipient, in the recipient's language, on the recipient's channel; discreet on phones when
safety is in question; and the outbox itself refuses a duplicate.

Recipients of a collective grievance here: three people and the proxy organisation whose mandate
says it receives messages.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import flask_babel
import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from remedy import create_app
from remedy.cases import check_ins, contests, explanations, intake, notify, proceedings, tracks
from remedy.cases.consultations import Consultation
from remedy.cases.deadlines import run_deadlines
from remedy.core.actors import Actor
from remedy.core.config import LANGUAGES
from remedy.core.extensions import db
from remedy.core.numbers import isolate_numbers
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.messaging.sms_texts import phone_date
from remedy.messaging.templates import (
    DISCREET,
    PHONE_TEMPLATES,
    PROTECTION_TEMPLATES,
    STAFF_TEMPLATES,
    TEMPLATES,
)
from remedy.messaging.words import NO_WORDS, Keyword, first_word, primary
from remedy.models import (
    Answer,
    Category,
    Channel,
    CheckInPurpose,
    Grievance,
    LeverageType,
    Outcome,
    ProceedingKind,
    ReferralMechanism,
    RemedyType,
    ReprisalRisk,
    TrackKind,
)
from remedy.models.group_consultation import ConsultationMethod
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS
from tests import support
from tests.workflows.observe import Outbox, for_people, per_recipient, recipient, rewrite
from tests.workflows.scenarios import Scenario

PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# What the services put in each message besides the reference: the notify_values they pass
# (remedy/services/*). Every trigger adds the next deadline as "date" when there is one, and
# rendering says "soon" when there is none, so "date" is always there.
VALUES_PASSED: dict[str, frozenset[str]] = {
    **{key: frozenset({"date"}) for key in TEMPLATES},
    "rejected": frozenset({"date", "reason", "referral"}),
    "no_involvement": frozenset({"date", "reason", "referral"}),
    "referred": frozenset({"date", "reason", "referral"}),
    "info_requested": frozenset({"date", "question"}),
    "remedy_proposed": frozenset({"date", "remedy"}),
    "check_in": frozenset({"date", "remedy"}),
    "follow_up": frozenset({"date", "remedy"}),
    "resolved": frozenset({"date", "outcome"}),
    "appeal_upheld": frozenset({"date", "reason"}),
    "appeal_overturned": frozenset({"date", "reason"}),
    "protection_referred": frozenset({"date", "referral"}),
    "identity_consent": frozenset({"date", "organisation"}),
    "closed_unconfirmed": frozenset({"date", "reason"}),
    "classification_upheld": frozenset({"date", "reason"}),
    "explanation_given": frozenset({"date", "explanation"}),
}
STAFF_VALUES_PASSED = {
    "staff_disputed": frozenset(),
    "staff_overdue": frozenset({"state"}),
    "staff_info_overdue": frozenset(),
    "staff_senior_review": frozenset(),
    "staff_recurrence": frozenset({"count", "days", "category"}),
    "staff_root_cause_recurrence": frozenset({"count", "days", "cause"}),
    "staff_referral_unacknowledged": frozenset({"mechanism", "date"}),
    "staff_referral_silent": frozenset({"mechanism", "date"}),
    "partner_referral_reminder": frozenset({"mechanism", "date", "referral"}),
}
SAMPLE: dict[str, Any] = {
    "reference": display("12345670"),
    "date": datetime(2030, 3, 14, 9, 0, tzinfo=UTC),
    "reason": "Outside our operations.",
    "referral": "Labour inspectorate (0800 123 456)",
    "question": "Where exactly is the fence?",
    "remedy": "Stopping the harm: Remove the fence.",
    "outcome": Outcome.PARTLY_REMEDIED,
    "state": "Screening",
    "appeal_days": 30,
    "organisation": "Rift Haulage",
    "count": 3,
    "days": 30,
    "category": "Water, air and environment",
    "cause": "Wages and pay",
    "explanation": "The score counted days without a badge scan as absences.",
    "mechanism": "Kenya Labour Inspectorate",
}


def consulted() -> Consultation:
    """How a proxy deciding for the group asked them (remedy.cases.consultations)."""
    return Consultation(ConsultationMethod.MEETING, utcnow().date(), participants=3)


# A collective grievance and the steps of its life ---------------------------------------------


@dataclass
class Case:
    scenario: Scenario
    grievance: Grievance

    @property
    def everyone(self) -> set[str]:
        people = {f"p{link.person_id}" for link in self.grievance.people}
        return people | {f"o{self.scenario.ngo.id}"}

    def person(self, index: int = 0) -> Actor:
        link = self.grievance.people[index]
        return self.scenario.complainant(self.grievance, link.person_id)

    @property
    def track(self) -> Any:
        return self.grievance.tracks[0]

    def answer(self, value: Answer, *, leave: int = 0, proxy_says: Answer | None = None) -> None:
        """Everyone asked answers (the proxy first, for its own question), but the last ``leave``.

        The proxy goes first because the people's answers close the round: a proxy's voice
        counts only while the round is open.
        """
        open_ = sorted(
            (c for c in self.track.check_ins if c.is_open),
            key=lambda c: c.proxy_organisation_id is None,
        )
        for check_in in open_[: len(open_) - leave]:
            by_proxy = check_in.proxy_organisation_id is not None
            actor = (
                self.scenario.proxy
                if by_proxy
                else self.scenario.complainant(self.grievance, check_in.person_id)
            )
            given = proxy_says if by_proxy and proxy_says else value
            check_ins.answer_check_in(
                actor,
                check_in,
                given,
                "Only half of it.",
                consultation=consulted() if by_proxy else None,
            )

    def deliver(self) -> None:
        for action in self.track.remedy_actions:
            if action.is_active and not action.is_delivered:
                tracks.report_delivered(self.scenario.handler, action, "Photos.")

    def open_follow_ups(self) -> None:
        assert self.track.ended_at is not None
        run_deadlines(self.track.ended_at + timedelta(days=30, minutes=1))

    def answer_follow_up(self, value: Answer) -> None:
        (asked, *_) = [
            c
            for c in self.track.check_ins
            if c.is_open and c.purpose is CheckInPurpose.FOLLOW_UP and c.person_id
        ]
        check_ins.answer_check_in(
            self.scenario.complainant(self.grievance, asked.person_id), asked, value
        )


Step = tuple[frozenset[str], Callable[[Case], object]]


def told(*names: str) -> frozenset[str]:
    return frozenset(names)


NOTHING = told()
PATH = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Rebuild the path.")
RAISE = tracks.LeveragePlan(LeverageType.RAISE_ISSUE, "Rift Haulage", "Raise the blocked path.")


def _classify(kind: TrackKind) -> Callable[[Case], object]:
    def step(case: Case) -> object:
        plan = intake.TrackPlan(case.scenario.company, kind, "Assessed.")
        return intake.classify(
            case.scenario.handler, case.grievance, [plan], intake.Severity(2, 2, 1)
        )

    return step


def _classify_with_partner(case: Case) -> object:
    """The company's track and its business partner's, which the mechanism does not serve."""
    s = case.scenario
    plans = [
        intake.TrackPlan(s.company, TrackKind.CAUSE, "Assessed."),
        intake.TrackPlan(s.partner, TrackKind.DIRECTLY_LINKED, "Hauls for us."),
    ]
    return intake.classify(s.handler, case.grievance, plans, intake.Severity(2, 2, 1))


def _ask_why(case: Case) -> None:
    """The people ask why the automated decision was made (its category allows it)."""
    case.grievance.category = Category.AUTOMATED_DECISION
    db.session.commit()
    explanations.request_explanation(case.person(), case.track, "Why was my pay cut?")


def _unconfirmed(case: Case) -> None:
    rewrite(case.track, check_in_window_ends_at=utcnow() - timedelta(minutes=1))
    tracks.close_without_confirmation(case.scenario.supervisor, case.track, "No answers.")


def _overdue(case: Case) -> None:
    assert case.grievance.due_at is not None
    run_deadlines(case.grievance.due_at + timedelta(minutes=1))


ACCEPT: Step = (told("accepted"), lambda c: intake.accept(c.scenario.handler, c.grievance))
PROPOSE: Step = (told("remedy_proposed"), lambda c: c.scenario.propose(c.track))

PATHS: dict[str, list[Step]] = {
    "cause, with a dispute, then an appeal": [
        (
            told("info_requested"),
            lambda c: intake.request_info(c.scenario.handler, c.grievance, "Where?"),
        ),
        (
            told("info_received"),
            lambda c: intake.provide_information(c.person(), c.grievance, "Here."),
        ),
        ACCEPT,
        (told("classified"), _classify(TrackKind.CAUSE)),
        PROPOSE,
        (
            told("proposal_declined"),
            lambda c: tracks.decline_proposal(
                c.scenario.proxy, c.track, "Too little.", consulted()
            ),
        ),
        PROPOSE,
        (told("proposal_accepted"), lambda c: tracks.accept_proposal(c.person(1), c.track)),
        (told("check_in"), Case.deliver),
        (NOTHING, lambda c: c.answer(Answer.YES, leave=1)),
        (told("disputed"), lambda c: c.answer(Answer.NO)),
        (NOTHING, lambda c: tracks.add_remedy_action(c.scenario.handler, c.track, PATH)),
        (told("check_in"), Case.deliver),
        (told("check_in"), lambda c: check_ins.open_check_in(c.scenario.handler, c.track)),
        (told("remedied", "resolved", "fairness"), lambda c: c.answer(Answer.YES)),
        (told("appeal_received"), lambda c: intake.appeal(c.scenario.proxy, c.grievance, "No.")),
        (
            told("appeal_upheld", "fairness"),
            lambda c: intake.review(c.scenario.supervisor, c.grievance, True, "Confirmed."),
        ),
        (told("follow_up"), Case.open_follow_ups),
    ],
    "directly linked, partly remedied, reopened, relationship ended": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.DIRECTLY_LINKED)),
        (
            told("leverage_recorded"),
            lambda c: tracks.record_leverage(c.scenario.handler, c.track, RAISE),
        ),
        (told("escalated"), lambda c: tracks.escalate(c.scenario.handler, c.track, "No answer.")),
        (
            told("partner_committed"),
            lambda c: tracks.partner_commits(c.scenario.handler, c.track, [PATH]),
        ),
        (told("check_in"), Case.deliver),
        (
            told("partly_remedied", "resolved", "fairness"),
            lambda c: c.answer(Answer.YES, proxy_says=Answer.PARTLY),
        ),
        (told("follow_up"), Case.open_follow_ups),
        (told("reopened"), lambda c: c.answer_follow_up(Answer.NO)),
        (told("escalated"), lambda c: tracks.escalate(c.scenario.handler, c.track, "Again.")),
        (
            told("relationship_ended", "resolved", "fairness"),
            lambda c: tracks.end_relationship(c.scenario.supervisor, c.track, "Assessed."),
        ),
    ],
    "rejected, overturned, no involvement": [
        (
            told("rejected", "fairness"),
            lambda c: intake.reject(
                c.scenario.handler, c.grievance, "Not ours.", c.scenario.court()
            ),
        ),
        (told("appeal_received"), lambda c: intake.appeal(c.person(2), c.grievance, "It is.")),
        (
            told("appeal_overturned"),
            lambda c: intake.review(c.scenario.supervisor, c.grievance, False, "It is."),
        ),
        ACCEPT,
        (
            told("no_involvement", "fairness"),
            lambda c: intake.find_no_involvement(
                c.scenario.handler, c.grievance, "Not our site.", c.scenario.court()
            ),
        ),
    ],
    "unconfirmed": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.CAUSE)),
        PROPOSE,
        (
            told("proposal_accepted"),
            lambda c: tracks.accept_proposal(c.scenario.proxy, c.track, consulted()),
        ),
        (told("check_in"), Case.deliver),
        (told("closed_unconfirmed", "resolved", "fairness"), _unconfirmed),
    ],
    "referred": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.CAUSE)),
        PROPOSE,
        (told("proposal_declined"), lambda c: tracks.decline_proposal(c.person(), c.track, "No.")),
        (
            told("referred", "resolved", "fairness"),
            lambda c: tracks.refer(c.scenario.handler, c.track, c.scenario.court(), "A court."),
        ),
    ],
    "a classification contested, upheld, contested again and changed": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.DIRECTLY_LINKED)),
        (
            told("classification_contested"),
            lambda c: contests.contest_classification(c.person(), c.track, "They built it."),
        ),
        (
            told("classification_upheld"),
            lambda c: contests.uphold_classification(c.scenario.supervisor, c.track, "Records."),
        ),
        (
            told("classification_contested"),
            lambda c: contests.contest_classification(c.person(), c.track, "Still them."),
        ),
        (
            told("classification_changed"),
            lambda c: tracks.reclassify(
                c.scenario.supervisor, c.track, TrackKind.CAUSE, "Their own trucks."
            ),
        ),
    ],
    "an automated decision explained": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.CAUSE)),
        (told("explanation_requested"), _ask_why),
        (
            told("explanation_given"),
            lambda c: explanations.give_explanation(
                c.scenario.handler, c.track, "Days without a badge scan counted as absences."
            ),
        ),
    ],
    "paused while a court hears it, then resumed": [
        ACCEPT,
        (told("classified"), _classify(TrackKind.CAUSE)),
        (
            told("proceedings_started"),
            lambda c: proceedings.enter_parallel_proceedings(
                c.scenario.handler, c.track, "The court heard it.", ProceedingKind.COURT
            ),
        ),
        (
            told("proceedings_ended"),
            lambda c: proceedings.resume_after_proceedings(
                c.scenario.handler, c.track, "The court ruled."
            ),
        ),
    ],
    "a partner's track, and the people asked about it": [
        ACCEPT,
        (told("classified", "identity_consent"), _classify_with_partner),
    ],
    "delayed, then withdrawn": [
        (told("delayed"), _overdue),
        (NOTHING, _overdue),
        (told("withdrawn"), lambda c: intake.withdraw(c.person(), c.grievance)),
    ],
}


def test_the_paths_below_tell_every_message_there_is() -> None:
    notified = {t.notify for w in WORKFLOWS.values() for t in w.transitions if t.notify}
    covered = {name for steps in PATHS.values() for names, _step in steps for name in names}
    assert notified <= set(TEMPLATES), "every trigger's message has a template"
    # follow_up_noted is told one person at a time: test_check_ins covers it; what was
    # done after a reprisal incident is no workflow step: tests/sms/test_reprisal_protection.
    told_elsewhere = {"acknowledged", "follow_up_noted", *PROTECTION_TEMPLATES}
    assert covered | told_elsewhere == set(TEMPLATES)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    """The values each template was actually rendered with, by the services."""
    seen: dict[str, list[dict[str, Any]]] = {}
    real = notify.render

    def spy(template_key: str, language: str, discreet: bool, values: Any, **how: Any) -> str:
        seen.setdefault(template_key, []).append(dict(values))
        return real(template_key, language, discreet, values, **how)

    monkeypatch.setattr(notify, "render", spy)
    return seen


@pytest.mark.parametrize("path", list(PATHS))
def test_each_step_tells_each_recipient_exactly_once(
    scenario: Scenario, path: str, rendered: dict[str, list[dict[str, Any]]]
) -> None:
    grievance = scenario.file(people=3)
    outbox = Outbox()
    scenario.mandate(grievance)  # all scopes; the proxy receives messages
    case = Case(scenario, grievance)
    assert len(case.everyone) == 4

    for number, (expected, action) in enumerate(PATHS[path], 1):
        action(case)
        queued = for_people(outbox.new())
        assert per_recipient(queued) == {
            name: dict.fromkeys(case.everyone, 1) for name in expected
        }, f"step {number}: {sorted(expected)}"
        for message in queued:
            assert "None" not in message.body, message.body
            assert message.dedupe_key.endswith(f":{recipient(message)}")

    for template, calls in rendered.items():
        for values in calls:
            passed = set(values) | {"date"}  # rendering says "soon" when there is no deadline
            assert passed >= VALUES_PASSED[template], f"{template} gets less than the table says"


def test_the_acknowledgement_goes_to_the_people_on_file(scenario: Scenario) -> None:
    outbox = Outbox()
    grievance = scenario.file(people=3)
    queued = for_people(outbox.new())
    assert per_recipient(queued) == {
        "acknowledged": {f"p{link.person_id}": 1 for link in grievance.people}
    }


# Language and channel -----------------------------------------------------------------------


class PseudoTranslations(gettext.NullTranslations):
    """Marks every translated string with the locale it was translated into: ``[fr] ...``.

    The catalogues may not translate new strings yet; this shows which locale each piece of
    a message was looked up in, so a label rendered in the wrong language cannot hide.
    """

    def gettext(self, message: str) -> str:
        locale = str(flask_babel.get_locale())
        return message if locale == "en" else f"[{locale}] {message}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    ugettext = gettext
    ungettext = ngettext


@pytest.fixture
def pseudo_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    pseudo = PseudoTranslations()
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: pseudo)


APPEAL_DAYS = 30  # REMEDY_APPEAL_WINDOW_DAYS' default, which the messages quote


def expected_body(template: str, language: str, values: dict[str, Any], phone: bool = False) -> str:
    """The template as gettext gives it in ``language``, filled as the recipient reads it
    (on a phone, in the wording that says how to answer by SMS)."""
    with force_locale(language):
        shown = {
            key: phone_date(value, language)
            if isinstance(value, datetime)
            else str(value.label)
            if isinstance(value, Outcome)
            else value
            for key, value in values.items()
        }
        wording = (PHONE_TEMPLATES.get(template) if phone else None) or TEMPLATES[template]
        words = {"appeal": primary(Keyword.APPEAL, language), "no": first_word(NO_WORDS, language)}
        # A right-to-left message isolates its numbers left to right (LRI ... PDI).
        shown = isolate_numbers(shown, language)
        return str(wording) % {"appeal_days": APPEAL_DAYS, **words, **shown}


def multilingual_case(
    scenario: Scenario, channel: Channel = Channel.SMS, consent: bool = True
) -> Case:
    scenario.counter[0] += 1
    n = scenario.counter[0]
    grievance = scenario.file(
        people=0,
        channel=channel,
        language="sw",
        contact_consent=consent,
        complainant=PersonDetails("Awa", f"+2547200{n:02d}001", "fr"),
        affected=[
            PersonDetails("Layla", f"+2547200{n:02d}002", "ar"),
            PersonDetails("John", None, "en"),
        ],
    )
    scenario.mandate(grievance)
    return Case(scenario, grievance)


def by_recipient(messages: list[OutboxMessage], template: str) -> dict[str, OutboxMessage]:
    return {recipient(m): m for m in for_people(messages) if m.template == template}


def test_each_recipient_reads_their_own_language(
    scenario: Scenario, pseudo_catalogue: None
) -> None:
    case = multilingual_case(scenario)
    grievance = case.grievance
    awa, layla, john = (f"p{link.person_id}" for link in grievance.people)
    # Each person in their own language; the proxy in the language of the case.
    languages = {awa: "fr", layla: "ar", john: "en", f"o{scenario.ngo.id}": "sw"}
    reference = display(grievance.reference)
    outbox = Outbox()

    intake.accept(scenario.handler, grievance)
    accepted = by_recipient(outbox.new(), "accepted")
    assessment_due = grievance.due_at
    _classify(TrackKind.CAUSE)(case)
    scenario.propose(case.track)
    tracks.accept_proposal(case.person(), case.track)
    case.deliver()
    outbox.skip()
    case.answer(Answer.YES, proxy_says=Answer.PARTLY)
    resolved = by_recipient(outbox.new(), "resolved")

    for template, messages, values in [
        ("accepted", accepted, {"reference": reference, "date": assessment_due}),
        ("resolved", resolved, {"reference": reference, "outcome": Outcome.PARTLY_REMEDIED}),
    ]:
        assert {key: m.language for key, m in messages.items()} == languages
        for key, message in messages.items():
            language = languages[key]
            phone = message.channel in notify.PHONE_CHANNELS
            assert message.body == expected_body(template, language, values, phone)
            marks = re.findall(r"\[(\w+)\]", message.body)
            assert set(marks) <= {language}, message.body
            assert bool(marks) is (language != "en"), message.body
        # The outcome inside the sentence was looked up in the recipient's language too.
        assert resolved[awa].body.count("[fr]") == 2


def test_each_recipient_is_told_on_their_own_channel(scenario: Scenario) -> None:
    outbox = Outbox()
    sms = multilingual_case(scenario, Channel.SMS)
    whatsapp = multilingual_case(scenario, Channel.WHATSAPP)
    no_consent = multilingual_case(scenario, Channel.SMS, consent=False)
    outbox.skip()
    for case in (sms, whatsapp, no_consent):
        intake.accept(scenario.handler, case.grievance)
    queued = by_grievance(outbox.new())

    phone = {Channel.SMS: MessageChannel.SMS, Channel.WHATSAPP: MessageChannel.WHATSAPP}
    for case, phone_channel in [
        (sms, phone[Channel.SMS]),
        (whatsapp, phone[Channel.WHATSAPP]),
        (no_consent, MessageChannel.WEB),
    ]:
        awa, layla, john = (link.person for link in case.grievance.people)
        messages = by_recipient(queued[case.grievance.id], "accepted")
        channels = {key: (m.channel, m.address, m.status) for key, m in messages.items()}
        waiting = MessageStatus.PENDING if phone_channel is not MessageChannel.WEB else None
        assert channels == {
            f"p{awa.id}": phone_address(phone_channel, awa.phone, waiting),
            f"p{layla.id}": phone_address(phone_channel, layla.phone, waiting),
            # No phone: the web status page, read with the PIN.
            f"p{john.id}": (MessageChannel.WEB, None, MessageStatus.STORED),
            f"o{scenario.ngo.id}": (MessageChannel.WEB, None, MessageStatus.STORED),
        }


def phone_address(
    channel: MessageChannel, phone: str | None, waiting: MessageStatus | None
) -> tuple[MessageChannel, str | None, MessageStatus]:
    if waiting is None:
        return (MessageChannel.WEB, None, MessageStatus.STORED)
    return (channel, phone, waiting)


def by_grievance(messages: list[OutboxMessage]) -> dict[int | None, list[OutboxMessage]]:
    grouped: dict[int | None, list[OutboxMessage]] = {}
    for message in messages:
        grouped.setdefault(message.grievance_id, []).append(message)
    return grouped


# Discretion ---------------------------------------------------------------------------------


def test_discreet_messages_on_phones_reveal_nothing_of_the_case(scenario: Scenario) -> None:
    court = scenario.court()
    reason = "The fence stands outside the concession."
    for safety in (
        {"reprisal_risk": ReprisalRisk.HIGH},
        {"reprisal_risk": ReprisalRisk.LOW},
        {"identity_withheld": True},
    ):
        scenario.counter[0] += 1
        n = scenario.counter[0]
        grievance = scenario.file(
            people=0,
            contact_consent=True,
            complainant=PersonDetails("Awa", f"+2547300{n:02d}001", "fr"),
            affected=[PersonDetails("John", None, "en")],
            **safety,
        )
        assert grievance.discreet_messages, safety
        scenario.mandate(grievance)
        awa, john = (link.person for link in grievance.people)
        outbox = Outbox()

        intake.reject(scenario.handler, grievance, reason, court)

        messages = by_recipient(outbox.new(), "rejected")
        on_phone = messages[f"p{awa.id}"]
        assert on_phone.channel is MessageChannel.SMS
        with force_locale("fr"):
            assert on_phone.body == str(DISCREET)
        revealing = [
            grievance.reference,
            display(grievance.reference),
            reason,
            db.session.get(ReferralMechanism, court).name,
            "admissible",
            "appeal",
            "reject",
        ]
        for secret in revealing:
            assert secret.lower() not in on_phone.body.lower(), (safety, secret)
        # Off the phone (the web page behind the PIN, the proxy's portal): the full message.
        for key in (f"p{john.id}", f"o{scenario.ngo.id}"):
            assert messages[key].channel is MessageChannel.WEB
            assert reason in messages[key].body
            assert display(grievance.reference) in messages[key].body


# The outbox itself --------------------------------------------------------------------------


def test_a_second_message_for_the_same_recipient_and_event_cannot_be_written(
    scenario: Scenario,
) -> None:
    grievance = scenario.file(people=2)
    outbox = Outbox()
    intake.accept(scenario.handler, grievance)
    first = for_people(outbox.new())[0]

    db.session.add(
        OutboxMessage(
            dedupe_key=first.dedupe_key,
            grievance_id=grievance.id,
            person_id=first.person_id,
            channel=first.channel,
            language=first.language,
            template=first.template,
            body="A second copy.",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()

    event = first.dedupe_key.split(":")[0]
    notify.notify_people(grievance, "accepted", event)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert len(for_people(outbox.new())) == 0


# Templates ----------------------------------------------------------------------------------


def test_the_values_table_names_every_template() -> None:
    assert set(VALUES_PASSED) == set(TEMPLATES)
    assert set(STAFF_VALUES_PASSED) == set(STAFF_TEMPLATES)
    for key, template in TEMPLATES.items():
        # The words to send are the reader's own, filled by render.
        used = set(PLACEHOLDER.findall(str(template))) - {"reference", "appeal_days", "no"}
        assert used <= VALUES_PASSED[key], f"{key} needs {used - VALUES_PASSED[key]}"


@pytest.fixture(scope="module")
def app_without_database(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Rendering needs the translations, not a database: one app, never connected."""
    instance = tmp_path_factory.mktemp("render")
    return create_app(support.test_overrides(f"sqlite:///{instance / 'unused.db'}", instance))


@pytest.fixture
def translations(app_without_database: Flask) -> Iterator[None]:
    with app_without_database.app_context():
        yield


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_template_renders_in_every_language(translations: None, language: str) -> None:
    for key in TEMPLATES:
        values = {name: SAMPLE[name] for name in {"reference", *VALUES_PASSED[key]}}
        body = notify.render(key, language, False, values)
        assert SAMPLE["reference"] in body, (language, key)
        for name in ("reason", "referral", "question"):
            if name in values and f"%({name})s" in str(TEMPLATES[key]):
                # A reason's own full stop gives way to the template's (see the next test).
                said = SAMPLE[name].removesuffix(".") if name == "reason" else SAMPLE[name]
                assert said in body, (language, key, name)
        undated = {name: value for name, value in values.items() if name != "date"}
        assert notify.render(key, language, False, undated)
        assert notify.render(key, language, True, values) == discreet_in(language)
    for key, template in STAFF_TEMPLATES.items():
        values = {name: SAMPLE[name] for name in {"reference", *STAFF_VALUES_PASSED[key]}}
        with force_locale(language):
            assert SAMPLE["reference"] in str(template) % values


def discreet_in(language: str) -> str:
    with force_locale(language):
        body = str(DISCREET)
    assert "%(" not in body
    return body


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_a_reason_that_ends_with_a_full_stop_is_not_followed_by_a_second_one(
    translations: None, language: str
) -> None:
    values = {"reference": "1234 5678", "reason": "Outside the mechanism.", "referral": "X"}

    body = notify.render("rejected", language, False, values)

    assert "Outside the mechanism" in body
    assert "mechanism.." not in body
    assert "mechanism. ." not in body
