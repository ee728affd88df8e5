"""Referrals through the API: the receiving body's own view, and the team's.

A ``referral_partner`` account reaches only these endpoints (``base`` refuses it every
other one with 403) and, here, only the referrals made to its own mechanism: any other
id is 404, as if it did not exist. The mechanism's staff read every referral; its case
workers also record the people's consent and the body's news.
"""

from __future__ import annotations

from typing import Any

from flask import Response, url_for

from remedy.api.base import bp, current_actor, json_body, json_response, query_args
from remedy.api.referral_schemas import (
    ReferralConsentInput,
    ReferralOut,
    ReferralPackOut,
    ReferralPageOut,
    ReferralQuery,
    ReferralUpdateInput,
)
from remedy.cases import handoffs
from remedy.cases.referral_pack import make_pack
from remedy.cases.sensitive import may_read_contents
from remedy.identity.visibility import may_see_identity
from remedy.models.referral import Referral


def referral_body(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.id,
        "reference": referral.grievance.reference,
        "mechanism_id": referral.mechanism_id,
        "mechanism": referral.mechanism.name,
        "referred_at": referral.created_at,
        "consent": referral.consent,
        "consent_via": referral.consent_via,
        "consent_at": referral.consent_at,
        "shared": referral.shared if referral.consent else None,
        "acknowledged_at": referral.acknowledged_at,
        "updated_at": referral.updated_at,
        "outcome_at": referral.outcome_at,
        "reminded_at": referral.reminded_at,
        "awaiting": handoffs.awaiting(referral),
        "updates": [
            {
                "kind": update.kind,
                "text": update.text,
                "at": update.created_at,
                "by_partner": update.by_partner,
            }
            for update in referral.updates
        ],
    }


@bp.get("/referrals")
def list_referrals() -> Response:
    args = query_args(ReferralQuery())
    found = handoffs.readable_referrals(current_actor(), args.get("after"), args["limit"] + 1)
    page, more = found[: args["limit"]], len(found) > args["limit"]
    body = {
        "items": [referral_body(referral) for referral in page],
        "next_cursor": page[-1].id if more and page else None,
    }
    return json_response(ReferralPageOut(), body)


@bp.get("/referrals/<int:referral_id>")
def get_referral(referral_id: int) -> Response:
    referral = handoffs.find_referral(current_actor(), referral_id)
    return json_response(ReferralOut(), referral_body(referral))


@bp.get("/referrals/<int:referral_id>/pack")
def get_referral_pack(referral_id: int) -> Response:
    """The partner reads what the people's consent allows; staff, also what they may read."""
    actor = current_actor()
    referral = handoffs.find_referral(actor, referral_id)
    if handoffs.is_partner(actor):
        pack = make_pack(actor, referral)
    else:
        grievance = referral.grievance
        pack = make_pack(
            actor, referral, may_see_identity(actor, grievance), may_read_contents(actor, grievance)
        )
    return json_response(ReferralPackOut(), pack)


@bp.post("/referrals/<int:referral_id>/updates")
def post_referral_update(referral_id: int) -> Response:
    actor = current_actor()
    referral = handoffs.find_referral(actor, referral_id)
    data = json_body(ReferralUpdateInput())
    handoffs.record_update(actor, referral, data["kind"], data["text"])
    location = url_for("api.get_referral", referral_id=referral.id)
    return json_response(ReferralOut(), referral_body(referral), 201, Location=location)


@bp.post("/referrals/<int:referral_id>/consent")
def post_referral_consent(referral_id: int) -> Response:
    actor = current_actor()
    referral = handoffs.find_referral(actor, referral_id)
    data = json_body(ReferralConsentInput())
    handoffs.record_consent(actor, referral, data["consent"], data["via"], data.get("shared"))
    return json_response(ReferralOut(), referral_body(referral))
