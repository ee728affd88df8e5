"""What the affected people are told at each step, in plain words, in their language.

Each template says what was decided, why when there is a reason, and what the
person can do now. ``DISCREET`` replaces all of them when reprisal risk is
recorded or identity is withheld: it only says there is news and how to hear
it with the PIN. Placeholders: ``reference``, ``date`` (next deadline) and, for
some, ``reason``; ``remedy`` (the remedy in plain words), and the words to send,
``appeal`` and ``no``, in the reader's language; ``organisation`` for the identity
question. ``PHONE_TEMPLATES`` replace some on a phone: there, the person answers by SMS.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

TEMPLATES: dict[str, LazyString] = {
    "acknowledged": _l(
        "We received your complaint. Case %(reference)s. Keep your PIN secret. "
        "We will tell you by %(date)s if we can take it up."
    ),
    "accepted": _l(
        "Case %(reference)s: we will look into your complaint. We will tell you what we "
        "found by %(date)s."
    ),
    "rejected": _l(
        "Case %(reference)s: we cannot take up your complaint. Why: %(reason)s. Another "
        "body can help: %(referral)s. You can appeal within %(appeal_days)s days."
    ),
    "info_requested": _l(
        "Case %(reference)s: we need more information: %(question)s Please answer by %(date)s."
    ),
    "info_received": _l("Case %(reference)s: thank you, we received your information."),
    "classified": _l(
        "Case %(reference)s: we found who is responsible and will now work on a remedy with "
        "them. We will write again by %(date)s."
    ),
    "no_involvement": _l(
        "Case %(reference)s: we found no link between the harm and our work. Why: "
        "%(reason)s. Another body can help: %(referral)s. "
        "You can appeal within %(appeal_days)s days."
    ),
    "resolved": _l(
        "Case %(reference)s is closed. Result: %(outcome)s. "
        "You can appeal within %(appeal_days)s days."
    ),
    "withdrawn": _l("Case %(reference)s is withdrawn, as you asked. You can file again any time."),
    "appeal_received": _l(
        "Case %(reference)s: we received your appeal. Another person will review it by %(date)s."
    ),
    "appeal_upheld": _l(
        "Case %(reference)s: after review, the decision stays. Why: %(reason)s. "
        "You can still go to a court or another body."
    ),
    "appeal_overturned": _l(
        "Case %(reference)s: after review, we changed the decision and are looking at your "
        "complaint again."
    ),
    "remedy_proposed": _l(
        "Case %(reference)s: we propose a remedy. Check your case to see it, then accept or "
        "decline by %(date)s."
    ),
    "proposal_accepted": _l(
        "Case %(reference)s: you accepted the remedy. We will tell you when it is done."
    ),
    "proposal_declined": _l(
        "Case %(reference)s: you declined the remedy. We will talk with you about another one."
    ),
    "referred": _l(
        "Case %(reference)s: another body is better placed to help: %(referral)s. Why: %(reason)s."
    ),
    "check_in": _l(
        "Case %(reference)s: was the promised remedy delivered? %(remedy)s "
        "Reply 1 yes, 2 partly, 3 no."
    ),
    "follow_up": _l(
        "Case %(reference)s: is the problem still solved? %(remedy)s Reply 1 yes, 2 partly, 3 no."
    ),
    "remedied": _l("Case %(reference)s: you confirmed the remedy was delivered. Thank you."),
    "partly_remedied": _l(
        "Case %(reference)s: you said the remedy was delivered only in part. We recorded what "
        "is missing."
    ),
    "disputed": _l(
        "Case %(reference)s: you said the remedy was not delivered. We are working on it again."
    ),
    "closed_unconfirmed": _l(
        "Case %(reference)s: we closed this part without your confirmation. Why: %(reason)s. "
        "Reply %(no)s if the problem is not solved."
    ),
    "classification_contested": _l(
        "Case %(reference)s: you disagree with how we see a company's part. Someone who did "
        "not decide it will review it by %(date)s."
    ),
    "classification_upheld": _l(
        "Case %(reference)s: after review, we keep how we see the company's part. Why: "
        "%(reason)s. You can still go to a court or another body."
    ),
    "classification_changed": _l(
        "Case %(reference)s: we changed how we see a company's part. Open your case to see "
        "what it must do now."
    ),
    "explanation_requested": _l(
        "Case %(reference)s: an explanation of the automated decision was asked for. We will "
        "give it by %(date)s."
    ),
    "explanation_given": _l(
        "Case %(reference)s: why the automated decision was made: %(explanation)s"
    ),
    "proceedings_started": _l(
        "Case %(reference)s: a court or another public body is also handling this. We wait "
        "for it and will tell you when we go on."
    ),
    "proceedings_ended": _l("Case %(reference)s: we are working on your case again."),
    "reopened": _l(
        "Case %(reference)s: you told us the problem came back. We are working on it again."
    ),
    "leverage_recorded": _l(
        "Case %(reference)s: we raised your complaint with the business partner responsible."
    ),
    "partner_committed": _l(
        "Case %(reference)s: the business partner promised a remedy. We will follow it."
    ),
    "escalated": _l("Case %(reference)s: the partner did not act, so we are raising the pressure."),
    "relationship_ended": _l(
        "Case %(reference)s: we ended our relationship with the business partner responsible."
    ),
    "follow_up_noted": _l(
        "Case %(reference)s: thank you. We told the team the problem came back. You can also "
        "file a new complaint."
    ),
    "delayed": _l("Case %(reference)s: we are late with your case. Sorry. We are working on it."),
    # After a reprisal incident (``remedy.cases.reprisal_incidents``): what was done, never
    # what happened nor who is suspected.
    "protection_taken": _l(
        "Case %(reference)s: we recorded what happened to you and are taking steps to protect you."
    ),
    "protection_referred": _l(
        "Case %(reference)s: we recorded what happened to you and are taking steps to "
        "protect you. An organisation that protects people can help: %(referral)s."
    ),
    "identity_consent": _l(
        "Case %(reference)s: may %(organisation)s know who you are? Until you say yes, it "
        "sees no name or number."
    ),
    # Once the case is over (remedy.cases.mechanism_feedback): answered wherever the case
    # is opened (the web page, the call's menu after a call-back, the proxy portal).
    "fairness": _l(
        "Case %(reference)s: how fair was the way we handled your complaint? Answer from 1 "
        "(not at all) to 5 (very) when you open your case."
    ),
}

# What the people are told after a reprisal incident: for them and the mechanism's team,
# never for an organisation's staff (``remedy.cases.timeline``).
PROTECTION_TEMPLATES = frozenset({"protection_taken", "protection_referred"})

# On a phone, the same steps say how to answer by SMS: the remedy itself and the numbers
# to reply, or the keyword of an appeal in the reader's language (``appeal``).
PHONE_TEMPLATES: dict[str, LazyString] = {
    "remedy_proposed": _l(
        "Case %(reference)s: we propose: %(remedy)s Answer by %(date)s. "
        "Reply 1 to accept, 2 to decline."
    ),
    "rejected": _l(
        "Case %(reference)s: we cannot take up your complaint. Why: %(reason)s. Another "
        "body can help: %(referral)s. To appeal within %(appeal_days)s days, send %(appeal)s."
    ),
    "no_involvement": _l(
        "Case %(reference)s: we found no link between the harm and our work. Why: "
        "%(reason)s. Another body can help: %(referral)s. "
        "To appeal within %(appeal_days)s days, send %(appeal)s."
    ),
    "resolved": _l(
        "Case %(reference)s is closed. Result: %(outcome)s. "
        "To appeal within %(appeal_days)s days, send %(appeal)s."
    ),
    "identity_consent": _l(
        "Case %(reference)s: may %(organisation)s know who you are? Reply 1 yes, 2 no."
    ),
    "fairness": _l(
        "Case %(reference)s: how fair was the way we handled your complaint? Reply 1 (not at "
        "all) to 5 (very). You can add a comment after the number."
    ),
}

DISCREET: LazyString = _l(
    "There is news about your case. Send STATUS with your case number and PIN to hear it."
)

# Segments each message may cost at most, in every language, with realistic values
# (``tests/sms/test_texts.py``). Words typed by the team (a reason, where else to turn,
# the question, an outcome) make a message long: 3. Every other message says what
# happened in one or two sentences: 2, or 1 where it fits in every language (Arabic,
# always UCS-2, holds 70 characters in one segment).
SEGMENT_BUDGETS: dict[str, int] = {
    **dict.fromkeys(TEMPLATES, 2),
    **dict.fromkeys(
        ("info_received", "escalated", "remedied", "withdrawn", "leverage_recorded", "delayed"),
        1,
    ),
    **dict.fromkeys(
        (
            "rejected",
            "no_involvement",
            "referred",
            "appeal_upheld",
            "info_requested",
            "resolved",
            "protection_referred",
            "closed_unconfirmed",
            "classification_upheld",
            "explanation_given",
        ),
        3,
    ),
}
# "There is news": one segment, however discreet messages are worded.
DISCREET_BUDGET = 1

STAFF_TEMPLATES: dict[str, LazyString] = {
    "staff_disputed": _l(
        "Case %(reference)s: the affected people say the remedy was not delivered."
    ),
    "staff_overdue": _l("Case %(reference)s is overdue in state %(state)s."),
    "staff_info_overdue": _l(
        "Case %(reference)s: the complainant did not answer your question in time. "
        "It is back in screening."
    ),
    "staff_referral_unacknowledged": _l(
        "Case %(reference)s: %(mechanism)s has not acknowledged the referral of %(date)s. "
        "Remind it, or record its answer."
    ),
    "staff_referral_silent": _l(
        "Case %(reference)s: no news from %(mechanism)s on the referral since %(date)s. "
        "Ask it, or record its answer."
    ),
    # To the receiving body's referral_partner accounts (read through the API).
    "partner_referral_reminder": _l(
        "Referral %(referral)s (case %(reference)s): please acknowledge it or send news "
        "through the API."
    ),
    "staff_senior_review": _l(
        "Case %(reference)s is severe or urgent and runs by shorter deadlines. "
        "Name its senior reviewer."
    ),
    "staff_recurrence": _l(
        "Case %(reference)s makes %(count)d grievances about %(category)s at the same place "
        "within %(days)d days. See its page to link them to one incident."
    ),
    "staff_root_cause_recurrence": _l(
        "Case %(reference)s has the root cause %(cause)s, which %(count)d cases at the same "
        "place had within %(days)d days. See the lessons learned."
    ),
}
