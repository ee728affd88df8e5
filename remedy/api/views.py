"""The API's endpoints. Each reads its input through a schema, calls services, and dumps
what the caller may see; none changes a model itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request, url_for
from flask_babel import gettext as _

from remedy.api import present
from remedy.api.actions import actions_for, offered
from remedy.api.base import bp, current_actor, json_body, query_args
from remedy.api.base import json_response as _json
from remedy.api.filing import grievance_form, mandate_terms
from remedy.api.grievance_schemas import (
    FiledOut,
    GrievanceInput,
    GrievanceOut,
    GrievancePageOut,
    GrievanceQuery,
)
from remedy.api.openapi_parts import ETAG_FORM
from remedy.api.problems import ApiProblem
from remedy.api.record_schemas import (
    AuditEventListOut,
    CheckInAnswerInput,
    CheckInListOut,
    DeliveryInput,
    FairnessAnswerInput,
    LeverageActionListOut,
    MessageListOut,
    RemedyActionListOut,
    ReprisalRiskInput,
    ReviewerInput,
    TriageInput,
)
from remedy.api.trigger_fields import describe_fields
from remedy.api.trigger_schemas import TriggerListOut
from remedy.cases import mechanism_feedback, triage
from remedy.cases.check_ins import answer_check_in
from remedy.cases.consultations import Consultation
from remedy.cases.intake import Severity
from remedy.cases.protection import change_reprisal_risk
from remedy.cases.tracks import report_delivered
from remedy.core.actors import ActorKind
from remedy.core.errors import NotAllowed, NotFound, TriggerRefused
from remedy.core.extensions import db
from remedy.core.references import is_valid, normalise
from remedy.filing import later_files
from remedy.identity.visibility import get_visible_grievance, visible_tracks
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.models.remedy_action import RemedyAction
from remedy.models.types import MAX_ROW_ID
from remedy.proxy.filing import file_for_others
from remedy.queue.filters import QueueFilters, QueueOrder
from remedy.queue.search import search_grievances
from remedy.workflows import workflow_for
from remedy.workflows.states import IntakeState


def _get(model: type[Any], record_id: int) -> Any:
    """A row by id; ids past the columns' range (SQLite cannot even bind them) find nothing."""
    return db.session.get(model, record_id) if 1 <= record_id <= MAX_ROW_ID else None


def _grievance(reference: str) -> Grievance:
    """404 for anything that cannot be a reference, before any query (a NUL byte in a path
    would otherwise reach PostgreSQL, which refuses it)."""
    if not is_valid(normalise(reference)):
        raise NotFound("No such grievance.")
    return get_visible_grievance(current_actor(), reference)


def _track(grievance: Grievance, track_id: int) -> InvolvementTrack:
    for track in visible_tracks(current_actor(), grievance):
        if track.id == track_id:
            return track
    raise NotFound("No such track.")


def _detail(grievance: Grievance, status: int = 200, **headers: str) -> Response:
    db.session.refresh(grievance)
    return _json(
        GrievanceOut(),
        present.grievance_detail(current_actor(), grievance),
        status,
        ETag=present.etag(grievance),
        **headers,
    )


def _check_if_match(grievance: Grievance) -> None:
    """``If-Match``, required on every change to a case (RFC 6585 428 without it): the ETag
    the caller read; 412 when the case moved on since."""
    # "*", a weak or a malformed tag name no version of the case (as the document's
    # pattern says): one would let a change pass over a version the caller never saw.
    sent = request.headers.get("If-Match", "").strip()
    if not ETAG_FORM.match(sent):
        raise ApiProblem(428, slug="precondition-required")
    if sent != present.etag(grievance):
        raise ApiProblem(412, slug="precondition-failed")


# Grievances ----------------------------------------------------------------------------


@bp.get("/grievances")
def list_grievances() -> Response:
    args = query_args(GrievanceQuery())
    filters = QueueFilters(
        states=tuple(dict.fromkeys(args.get("state", []))),
        track_kind=args.get("track_kind"),
        track_states=tuple(dict.fromkeys(args.get("track_state", []))),
        overdue=args.get("overdue", False),
        min_severity=args.get("min_severity"),
        reprisal_risk=tuple(dict.fromkeys(args.get("reprisal_risk", []))),
        channel=args.get("channel"),
        language=args.get("language"),
        organisation_id=args.get("organisation_id"),
        assignee_id=args.get("assignee_id"),
        unassigned=args.get("unassigned", False),
        awaiting_complainant=args.get(IntakeState.AWAITING_COMPLAINANT, False),
        text=args.get("q"),
        order=args.get("order") or QueueOrder.PRIORITY,
    )
    page = search_grievances(current_actor(), filters, args.get("after"), args["limit"])
    following = None
    if page.next_cursor:
        query = request.args.to_dict(flat=False)
        query["after"] = [page.next_cursor]
        following = url_for("api.list_grievances") + "?" + urlencode(query, doseq=True)
    body = {
        "items": [present.queue_item(item) for item in page.items],
        "next_cursor": page.next_cursor,
        "next": following,
    }
    return _json(GrievancePageOut(), body)


@bp.post("/grievances")
def create_grievance() -> Response:
    data = json_body(GrievanceInput())
    terms, proxy_receives_messages = mandate_terms(data)
    submitted = file_for_others(
        current_actor(), grievance_form(data), terms, proxy_receives_messages
    )
    grievance = submitted.grievance
    db.session.refresh(grievance)
    body = {
        "reference": grievance.reference,
        "pin": submitted.pin,
        "grievance": present.grievance_detail(current_actor(), grievance),
    }
    location = url_for("api.get_grievance", reference=grievance.reference)
    return _json(FiledOut(), body, 201, Location=location, ETag=present.etag(grievance))


@bp.get("/grievances/<reference>")
def get_grievance(reference: str) -> Response:
    grievance = _grievance(reference)
    if request.if_none_match.contains(present.etag(grievance).strip('"')):
        return Response(status=304, headers={"ETag": present.etag(grievance)})
    return _detail(grievance)


# Triggers ------------------------------------------------------------------------------


def _offered(subject: Grievance | InvolvementTrack, grievance: Grievance) -> Response:
    items = []
    for transition, action in offered(subject, current_actor()):
        if isinstance(subject, InvolvementTrack):
            href = url_for(
                "api.fire_track_trigger",
                reference=grievance.reference,
                track_id=subject.id,
                trigger=transition.trigger,
            )
        else:
            href = url_for(
                "api.fire_trigger", reference=grievance.reference, trigger=transition.trigger
            )
        items.append(
            {
                "trigger": transition.trigger,
                "label": str(transition.label),
                "to_state": transition.dest,
                "href": href,
                "fields_": describe_fields(action.schema),
            }
        )
    body = {"state": subject.state, "etag": present.etag(grievance), "items": items}
    return _json(TriggerListOut(), body, ETag=present.etag(grievance))


def _fire(subject: Grievance | InvolvementTrack, grievance: Grievance, trigger: str) -> Response:
    action = actions_for(subject).get(trigger)
    if action is None:
        raise NotFound("No such trigger here.")
    data = json_body(action.schema())
    _check_if_match(grievance)
    if workflow_for(subject).choose(trigger, subject) is None:
        raise TriggerRefused(
            _(
                "This step is not possible while the case is: %(state)s.",
                state=present.state_label(subject),
            ),
            "trigger",
        )
    action.perform(current_actor(), subject, data)
    return _detail(grievance)


@bp.get("/grievances/<reference>/triggers")
def list_triggers(reference: str) -> Response:
    grievance = _grievance(reference)
    return _offered(grievance, grievance)


@bp.post("/grievances/<reference>/triggers/<trigger>")
def fire_trigger(reference: str, trigger: str) -> Response:
    grievance = _grievance(reference)
    return _fire(grievance, grievance, trigger)


@bp.get("/grievances/<reference>/tracks/<int:track_id>/triggers")
def list_track_triggers(reference: str, track_id: int) -> Response:
    grievance = _grievance(reference)
    return _offered(_track(grievance, track_id), grievance)


@bp.post("/grievances/<reference>/tracks/<int:track_id>/triggers/<trigger>")
def fire_track_trigger(reference: str, track_id: int, trigger: str) -> Response:
    grievance = _grievance(reference)
    return _fire(_track(grievance, track_id), grievance, trigger)


# What a grievance holds ----------------------------------------------------------------


@bp.get("/grievances/<reference>/remedy-actions")
def list_remedy_actions(reference: str) -> Response:
    grievance = _grievance(reference)
    body = {"items": present.remedy_actions(current_actor(), grievance)}
    return _json(RemedyActionListOut(), body)


def _remedy_action(grievance: Grievance, action_id: int) -> RemedyAction:
    action = _get(RemedyAction, action_id)
    visible = {track.id for track in visible_tracks(current_actor(), grievance)}
    if action is None or action.track_id not in visible:
        raise NotFound("No such remedy action.")
    assert isinstance(action, RemedyAction)
    return action


@bp.post("/grievances/<reference>/remedy-actions/<int:action_id>/delivery")
def report_delivery(reference: str, action_id: int) -> Response:
    """Report a remedy action delivered; the last one starts the people's verification."""
    grievance = _grievance(reference)
    data = json_body(DeliveryInput())
    action = _remedy_action(grievance, action_id)
    _check_if_match(grievance)
    report_delivered(current_actor(), action, data["evidence"])
    return _detail(grievance)


@bp.post("/grievances/<reference>/remedy-actions/<int:action_id>/evidence-files")
def add_evidence_file(reference: str, action_id: int) -> Response:
    """One file of proof (the body's bytes; their content decides the type), before the
    delivery is reported."""
    grievance = _grievance(reference)
    action = _remedy_action(grievance, action_id)
    _check_if_match(grievance)
    filename = request.args.get("filename", "")[:255] or None
    upload = later_files.Upload(filename, request.get_data(cache=False))
    later_files.add_evidence_file(current_actor(), action, upload)
    return _detail(grievance)


@bp.post("/grievances/<reference>/reprisal-risk")
def change_risk(reference: str) -> Response:
    """A protection officer or the mechanism's supervisor changes the risk, with a reason."""
    grievance = _grievance(reference)
    data = json_body(ReprisalRiskInput())
    _check_if_match(grievance)
    change_reprisal_risk(current_actor(), grievance, data["risk"], data["reason"])
    return _detail(grievance)


@bp.post("/grievances/<reference>/triage")
def triage_grievance(reference: str) -> Response:
    """A handler or supervisor confirms urgency flags and a provisional severity."""
    grievance = _grievance(reference)
    data = json_body(TriageInput())
    _check_if_match(grievance)
    given = data.get("severity")
    severity = Severity(**given) if given else None
    triage.triage(current_actor(), grievance, data["flags"], severity)
    return _detail(grievance)


@bp.post("/grievances/<reference>/reviewer")
def name_reviewer(reference: str) -> Response:
    """A supervisor names the senior reviewer of a severe or urgent case."""
    grievance = _grievance(reference)
    data = json_body(ReviewerInput())
    _check_if_match(grievance)
    triage.name_reviewer(current_actor(), grievance, data["reviewer_id"])
    return _detail(grievance)


@bp.get("/grievances/<reference>/leverage-actions")
def list_leverage_actions(reference: str) -> Response:
    grievance = _grievance(reference)
    body = {"items": present.leverage_actions(current_actor(), grievance)}
    return _json(LeverageActionListOut(), body)


@bp.get("/grievances/<reference>/check-ins")
def list_check_ins(reference: str) -> Response:
    grievance = _grievance(reference)
    body = {"items": present.check_ins(current_actor(), grievance)}
    return _json(CheckInListOut(), body)


@bp.post("/grievances/<reference>/check-ins/<int:check_in_id>/answer")
def answer(reference: str, check_in_id: int) -> Response:
    """A proxy answers for the people its mandate covers; never staff."""
    grievance = _grievance(reference)
    data = json_body(CheckInAnswerInput())
    check_in = _get(CheckIn, check_in_id)
    visible = {track.id for track in visible_tracks(current_actor(), grievance)}
    if check_in is None or check_in.track_id not in visible:
        raise NotFound("No such check-in.")
    _check_if_match(grievance)
    answer_check_in(
        current_actor(),
        check_in,
        data["answer"],
        comment=data.get("comment"),
        satisfaction=data.get("satisfaction"),
        consultation=Consultation(**data["consultation"]) if data["consultation"] else None,
    )
    return _detail(grievance)


@bp.post("/grievances/<reference>/fairness")
def answer_fairness(reference: str) -> Response:
    """The case is over: a proxy says how fair its handling was, for a person its mandate
    covers (remedy.cases.mechanism_feedback); never staff."""
    grievance = _grievance(reference)
    data = json_body(FairnessAnswerInput())
    _check_if_match(grievance)
    mechanism_feedback.answer_fairness(
        current_actor(),
        grievance,
        data["score"],
        data.get("comment"),
        FeedbackVia.PROXY,
        data.get("person_id"),
    )
    return _detail(grievance)


@bp.get("/grievances/<reference>/messages")
def list_messages(reference: str) -> Response:
    grievance = _grievance(reference)
    body = {"items": present.messages(current_actor(), grievance)}
    return _json(MessageListOut(), body)


@bp.get("/grievances/<reference>/audit-events")
def list_audit_events(reference: str) -> Response:
    """The mechanism's record: for staff (and auditors), not for proxies."""
    actor = current_actor()
    grievance = _grievance(reference)
    if actor.kind is not ActorKind.STAFF:
        raise NotAllowed(_("The audit log is for the mechanism's team and its auditors."))
    body = {"items": present.audit_events(actor, grievance)}
    return _json(AuditEventListOut(), body)
