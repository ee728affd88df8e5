"""Incidents in the API: read-only, for staff tokens.

The same rules as the console (:mod:`remedy.cases.incidents`): the mechanism's staff
read every incident; an organisation's staff read one only through the linked grievances
they may see, and only those, with their own tracks; proxies are refused. No people.
"""

from __future__ import annotations

from flask import Response, json
from flask_babel import gettext as _
from marshmallow import fields

from remedy.api.base import bp, current_actor
from remedy.api.schemas import ApiSchema
from remedy.cases import incident_view, incidents
from remedy.core.actors import ActorKind
from remedy.core.errors import NotAllowed


class IncidentTrackOut(ApiSchema):
    organisation_id = fields.Integer(required=True)
    organisation = fields.String(required=True)
    kind = fields.String(required=True)
    state = fields.String(required=True)


class IncidentGrievanceOut(ApiSchema):
    reference = fields.String(required=True)
    state = fields.String(required=True)
    tracks = fields.List(fields.Nested(IncidentTrackOut), required=True)


class IncidentOut(ApiSchema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(allow_none=True, required=True)
    grievances = fields.List(fields.Nested(IncidentGrievanceOut), required=True)


@bp.get("/incidents/<int:incident_id>")
def get_incident(incident_id: int) -> Response:
    actor = current_actor()
    if actor.kind is not ActorKind.STAFF:
        raise NotAllowed(_("Incidents are read by the mechanism's team and its auditors."))
    incident = incidents.get_incident(actor, incident_id)
    body = {
        "id": incident.id,
        "title": incident.title,
        "summary": incident.summary,
        "grievances": incident_view.case_rows(actor, incident),
    }
    return Response(json.dumps(IncidentOut().dump(body)), mimetype="application/json")
