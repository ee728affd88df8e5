"""What each audit event on a case is called in its timeline, in the reader's language.

Workflow steps take the label their workflow gives them; every other event that the code
records on a case or a track is listed here (a test reads the code for them), so a
timeline never shows a raw key such as ``pin_reset.request``.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.workflows import WORKFLOWS

EVENT_LABELS: dict[str, LazyString] = {
    "grievance.submit": _l("Grievance filed"),
    "grievance.add_information": _l("Information added"),
    "grievance.withdrawal_reason": _l("The people said why they withdrew"),
    "grievance.assign": _l("Assignment changed"),
    "attachment.add": _l("Attachment added"),
    "track.open": _l("Track opened"),
    "track.reclassify": _l("Track reclassified"),
    "remedy_action.add": _l("Remedy action added"),
    "remedy_action.cancel": _l("Remedy action cancelled"),
    "remedy_action.deliver": _l("Remedy action reported delivered"),
    "leverage_action.add": _l("Leverage action added"),
    "leverage_action.complete": _l("Leverage action completed"),
    "check_in.open": _l("Check-in sent"),
    "check_in.answer": _l("Check-in answered"),
    "check_in.follow_up": _l("Follow-up question sent"),
    "deadline.overdue": _l("Deadline passed"),
    "deadline.info_overdue": _l("No answer in time"),
    "mandate.grant": _l("Mandate recorded"),
    "mandate.withdraw": _l("Mandate withdrawn"),
    "consultation.record": _l("How the people were consulted"),
    "identity.request": _l("Identity reveal requested"),
    "identity.approve": _l("Identity reveal approved"),
    "identity.refuse": _l("Identity reveal refused"),
    "identity.view": _l("Revealed identity viewed"),
    "note.add": _l("Internal note added"),
    "grievance.reprisal_risk": _l("Reprisal risk changed"),
    "protection.incident": _l("Reprisal incident recorded"),
    "protection.contact_hold": _l("Contact with the people put on hold"),
    "protection.contact_hold_lifted": _l("Contact hold lifted"),
    "protection.reprisal_risk": _l("Reprisal risk raised after an incident"),
    "protection.referral": _l("Referred to a protection organisation"),
    "protection.alert_acknowledged": _l("Reprisal alert acknowledged"),
    "reply.send": _l("Reply sent"),
    "state_actor.record": _l("State actor recorded"),
    "grievance.triage": _l("Severity assessed"),
    "grievance.reviewer": _l("Senior reviewer named"),
    "grievance.technology": _l("Technology harm recorded"),
    "grievance.recurrence": _l("Recurring complaint at this place noted"),
    "grievance.erase": _l("Personal data erased"),
    "erasure.request": _l("Erasure requested"),
    "erasure.approve": _l("Erasure approved"),
    "erasure.refuse": _l("Erasure refused"),
    "people.export": _l("Personal data exported"),
    "identity.consent": _l("Consent to share identity recorded"),
    "identity.consent_asked": _l("Consent to share identity asked"),
    "check_in.missing": _l("The people said what is missing"),
    "recording.transcript": _l("Recording transcribed"),
    "pin_reset.request": _l("New PIN requested"),
    "pin_reset.complete": _l("New PIN set"),
    "pin_lockout.unlock": _l("PIN lock lifted with the person present"),
    "recovery_code.use": _l("Case opened with the recovery code; new PIN set"),
    "mechanism_feedback.answer": _l("The people said how fair the handling was"),
    "people_text.write": _l("Words for the people written in their language"),
    "grievance.root_causes": _l("Root causes set"),
    "grievance.root_causes_confirm": _l("Root causes confirmed at closing"),
    "grievance.root_cause_recurrence": _l("A root cause recurring at this place noted"),
}


def event_label(action: str) -> str:
    """Workflow triggers by their label in the workflow; other events from the table."""
    workflow_name, _sep, trigger = action.partition(".")
    workflow = WORKFLOWS.get(workflow_name)
    if workflow is not None:
        for item in workflow.transitions:
            if item.trigger == trigger:
                return str(item.label)
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else _("Other change to the case")
