"""The names of every workflow state, typed: code compares with these, never with strings.

A grievance runs the intake workflow (``IntakeState``); its involvement tracks run cause,
contribute or directly linked, which share the verification states (``TrackState``).
Each workflow module declares its states (labels, deadlines, ended) with these names;
``tests/workflows/test_docs.py`` checks that the two lists agree.
"""

from __future__ import annotations

import enum


class IntakeState(enum.StrEnum):
    RECEIVED = "received"
    SCREENING = "screening"
    AWAITING_COMPLAINANT = "awaiting_complainant"
    ASSESSMENT = "assessment"
    IN_REMEDY = "in_remedy"
    UNDER_REVIEW = "under_review"
    RESOLVED = "resolved"
    NOT_ADMISSIBLE = "not_admissible"
    NO_INVOLVEMENT = "no_involvement"
    WITHDRAWN = "withdrawn"


class TrackState(enum.StrEnum):
    # cause and contribute
    PLANNING = "planning"
    PROPOSED = "proposed"
    DIALOGUE = "dialogue"
    IMPLEMENTING = "implementing"
    # directly linked
    ENGAGING = "engaging"
    ESCALATED = "escalated"
    PARTNER_REMEDYING = "partner_remedying"
    RELATIONSHIP_ENDED = "relationship_ended"
    # verification, shared by every track workflow
    VERIFYING = "verifying"
    REMEDIED = "remedied"
    PARTLY_REMEDIED = "partly_remedied"
    UNCONFIRMED = "unconfirmed"
    REFERRED = "referred"
    WITHDRAWN = "withdrawn"
    # the people contest how the organisation is involved, on every track workflow
    CLASSIFICATION_CONTESTED = "classification_contested"
    # an explanation of an automated decision asked for, on every track workflow
    EXPLANATION_REQUESTED = "explanation_requested"
    # a court, an inspectorate or a National Contact Point is at work: deadlines pause
    PARALLEL_PROCEEDINGS = "parallel_proceedings"
