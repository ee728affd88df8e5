"""The referral endpoints in the OpenAPI document (``remedy.api.referrals``)."""

from __future__ import annotations

from typing import Any

from remedy.api.openapi_parts import PREFIX, path_id, request_body, responses
from remedy.api.referral_schemas import (
    ReferralConsentInput,
    ReferralOut,
    ReferralPackOut,
    ReferralPageOut,
    ReferralQuery,
    ReferralUpdateInput,
)

REFERRAL_ID = path_id("referral_id", "The referral's id.")
PARTNER_NOTE = (
    " A `referral_partner` account (the receiving body) reaches only its own referrals "
    "here, and no other endpoint of the API (403)."
)


def referral_paths() -> dict[str, dict[str, Any]]:
    referral = f"{PREFIX}/referrals/{{referral_id}}"
    return {
        f"{PREFIX}/referrals": {
            "get": {
                "summary": "Referrals, newest first: a receiving body's own, or (the "
                "mechanism's staff) every one.",
                "description": "Each says what the hand-off awaits (`awaiting`) and when the "
                "body was last reminded." + PARTNER_NOTE,
                "operationId": "list_referrals",
                "tags": ["referrals"],
                "parameters": [{"in": "query", "schema": ReferralQuery}],
                "responses": responses(200, ReferralPageOut, 403, 422),
            }
        },
        referral: {
            "get": {
                "summary": "One referral, with the people's consent and the body's news.",
                "description": PARTNER_NOTE.strip(),
                "operationId": "get_referral",
                "tags": ["referrals"],
                "parameters": [REFERRAL_ID],
                "responses": responses(200, ReferralOut, 403, 404),
            }
        },
        f"{referral}/pack": {
            "get": {
                "summary": "The export pack: what the body may know of the case (audited).",
                "description": "Without the people's consent it holds no personal data: "
                "pseudonyms only, the description withheld (`personal_data` false, and "
                "`notice` says so).",
                "operationId": "get_referral_pack",
                "tags": ["referrals"],
                "parameters": [REFERRAL_ID],
                "responses": responses(200, ReferralPackOut, 403, 404),
            }
        },
        f"{referral}/updates": {
            "post": {
                "summary": "Acknowledge the referral, send news, or tell its outcome.",
                "description": "By the receiving body or the mechanism's case workers. An "
                "outcome ends the hand-off: reminders stop, and news after it is refused (409).",
                "operationId": "post_referral_update",
                "tags": ["referrals"],
                "parameters": [REFERRAL_ID],
                "requestBody": request_body(ReferralUpdateInput),
                "responses": responses(
                    201, ReferralOut, 400, 403, 404, "trigger-refused", 413, 415, 422
                ),
            }
        },
        f"{referral}/consent": {
            "post": {
                "summary": "Record the people's consent to share their file with the body "
                "(the mechanism's case workers).",
                "description": "How they gave it (`via`) and what was shared. A consent "
                "makes the referral a hand-off: reminders follow until an outcome.",
                "operationId": "post_referral_consent",
                "tags": ["referrals"],
                "parameters": [REFERRAL_ID],
                "requestBody": request_body(ReferralConsentInput),
                "responses": responses(200, ReferralOut, 400, 403, 404, 413, 415, 422),
            }
        },
    }
