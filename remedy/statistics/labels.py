"""The words of the public statistics: row labels for the public, not the team's.

The complainant's own outcome words ("closed without your confirmation") speak to one
person; these speak about everyone. Closed is never said to be remedied.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from remedy.models.appeal import AppealResult
from remedy.models.check_in import Answer
from remedy.models.grievance import Outcome
from remedy.workflows.states import IntakeState

NOT_CLASSIFIED = _l("Not classified yet")
OPEN = "open"
# Where grievances stand: the intake workflow's ended states, and everything else open.
GRIEVANCE_STANDING: dict[str, LazyString] = {
    OPEN: _l("Still being handled"),
    IntakeState.RESOLVED: _l("Closed: every organisation's part ended (see how below)"),
    IntakeState.NOT_ADMISSIBLE: _l("Not admissible"),
    IntakeState.NO_INVOLVEMENT: _l("No involvement found"),
    IntakeState.WITHDRAWN: _l("Withdrawn by the people"),
}
TRACK_OUTCOMES: dict[str, LazyString] = {
    Outcome.REMEDIED: _l("Remedied, confirmed by the people"),
    Outcome.PARTLY_REMEDIED: _l("Partly remedied"),
    Outcome.UNCONFIRMED: _l("Closed without the people's confirmation"),
    Outcome.NOT_REMEDIED: _l("Not remedied (business relationship ended)"),
    Outcome.REFERRED: _l("Referred to another body"),
    Outcome.WITHDRAWN: _l("Withdrawn by the people"),
    Outcome.NO_INVOLVEMENT: _l("No involvement found"),
    Outcome.NOT_ADMISSIBLE: _l("Not admissible"),
    OPEN: _l("Still being handled"),
}
ANSWERS: dict[str, LazyString] = {
    Answer.YES: _l("Yes, delivered"),
    Answer.PARTLY: _l("Partly delivered"),
    Answer.NO: _l("Not delivered"),
}
APPEAL_RESULTS: dict[str, LazyString] = {
    AppealResult.UPHELD: _l("Decision upheld"),
    AppealResult.OVERTURNED: _l("Decision overturned"),
    "pending": _l("Not decided yet"),
}
# 2, 3 and 4 are shown as the numbers they are.
SATISFACTION: dict[str, LazyString] = {
    "1": _l("1: not at all satisfied"),
    "5": _l("5: fully satisfied"),
}
FAIRNESS: dict[str, LazyString] = {
    "1": _l("1: not fair at all"),
    "5": _l("5: very fair"),
}
DEADLINE_SUBJECTS: dict[str, LazyString] = {
    "grievances": _l("Grievances (receiving, screening, assessing)"),
    "tracks": _l("Organisations' parts (remedy and verification)"),
}
