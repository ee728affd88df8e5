"""What the SMS and WhatsApp conversation says, short enough for a basic phone.

Every text has a budget in SMS segments (``SEGMENT_BUDGETS``), met in every language
with realistic values: 1 for a prompt or question, 2 for the filing reply and HELP, 3
for a case's status (its words come from the case). English, French and Swahili stay
in the GSM-7 alphabet (a single character outside it makes the whole message UCS-2:
70 characters a segment instead of 160). Spanish is worded in GSM-7 where a prompt
would otherwise cost two segments: é ñ ü ¿ ¡ are GSM-7, á í ó ú are not, so
"Cuéntenos qué pasó" becomes "Escriba lo ocurrido" (spelling stays correct: no accent
is dropped, the words change). Arabic is always UCS-2 and is kept short instead.
``tests/sms/test_texts.py`` checks every text in every compiled catalogue.

Notes for translators:
- French: é è à ù É Ç are fine; avoid ç (lowercase), â ê î ô û œ ë ï: "reçu" → "bien
  arrivé", "connaître" → "savoir", "être" → "devenir"/"rester".
- Keywords come in placeholders (``%(status)s`` ...) filled with the word of the
  reader's language: do not translate them inside the text.
- Keep the numbers of the menus ("1 yes, 2 no") exactly as they are.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l

from remedy.core.numbers import ltr_text
from remedy.core.settings import ContactSettings
from remedy.messaging.segments import is_gsm7

# Languages whose texts must stay in GSM-7 (see the module docstring for the others).
GSM7_LANGUAGES = frozenset({"en", "fr", "sw"})

LANGUAGE_MENU: LazyString = _l("Reply with the number of your language:")
WHAT_HAPPENED: LazyString = _l(
    "Tell us what happened. You can send several messages. Send 0 when you are done."
)
MORE: LazyString = _l("Received. Send more, or 0 when you are done.")
NOTHING_YET: LazyString = _l("First tell us what happened, then send 0.")
TOO_LONG: LazyString = _l("This message is too long. Please send shorter messages.")
STORY_FULL: LazyString = _l("We have all the text we can take. Send 0 to go on.")
WHERE: LazyString = _l("Where did it happen? Name the village, town or place.")
PLACE_TOO_LONG: LazyString = _l("Please name the place in fewer words.")
IDENTITY: LazyString = _l(
    "May the company know who you are? Reply 1 yes, 2 no (then our messages only say "
    "there is news)."
)
REPRISAL: LazyString = _l("Are you afraid someone may harm you for complaining? Reply 1 yes, 2 no.")
CONTACT: LazyString = _l("May we contact you on this number? Reply 1 yes, 2 no.")
DRAFT_REMINDER: LazyString = _l("Your complaint is not finished. Reply to go on.")
RESUME_OFFER: LazyString = _l(
    "Your complaint was not finished. Reply 1 to go on, 2 to start again."
)
NOT_UNDERSTOOD: LazyString = _l("Sorry, we did not understand.")
FILED: LazyString = _l(
    "Thank you. Your case number is %(reference)s and your PIN is %(pin)s. Keep the PIN "
    "secret. For news, send %(status)s with the case number and PIN."
)
HELP: LazyString = _l(
    "To tell us about a problem, send a message. News of a case: %(status)s, case number, "
    "PIN. Change language: %(lang)s. No more messages: %(stop)s."
)
STOPPED: LazyString = _l("You will get no more messages from us. Send %(start)s to get them again.")
STARTED: LazyString = _l("You will get our messages again. Send %(help)s for help.")
STATUS_HOW: LazyString = _l(
    "Send %(status)s, your case number and your PIN, for example: %(status)s 1234 5678 123456"
)
STATUS: LazyString = _l("Case %(reference)s: %(now)s %(next)s")
STATUS_DUE: LazyString = _l("Case %(reference)s: %(now)s %(next)s Expected by %(date)s.")
STATUS_OUTCOME: LazyString = _l("Case %(reference)s: %(now)s Result: %(outcome)s. %(next)s")
# How each organisation is involved (UNGP 13, 19, 22), one line each after the status.
INVOLVED_CAUSE: LazyString = _l("%(organisation)s caused this harm: it must stop it and repair it.")
INVOLVED_CONTRIBUTE: LazyString = _l(
    "%(organisation)s contributed to it: it must stop its part and help repair it."
)
INVOLVED_LINKED: LazyString = _l(
    "%(organisation)s is linked through its business partner %(partner)s: "
    "it must press %(partner)s to act."
)
INVOLVED_LINKED_UNNAMED: LazyString = _l(
    "%(organisation)s is linked through a business partner: it must press the partner to act."
)
# Contesting how an organisation is involved (CONTEST and why, in one message).
CONTEST_HOW: LazyString = _l(
    "Send %(contest)s and why you disagree in one message, for example: %(contest)s "
    "The company did it itself."
)
CONTEST_WHICH: LazyString = _l("Which company? Send %(contest)s, its number and why: %(choices)s")
CONTEST_RECEIVED: LazyString = _l(
    "Thank you. Someone who did not decide how the company is involved will review it."
)
# Asking why an automated decision was made (EXPLAIN, and what to explain if they like).
EXPLAIN_WHICH: LazyString = _l("Which company? Send %(explain)s and its number: %(choices)s")
EXPLAIN_RECEIVED: LazyString = _l("Thank you. The team will explain the decision to you.")
CHECK_IN_THANKS: LazyString = _l("Thank you. We recorded your answer.")
INFORMATION_THANKS: LazyString = _l(
    "Thank you. We added your message to your case and will tell you what happens next."
)
ANSWER_ADDED: LazyString = _l("Thank you. We added this to your answer.")
TELL_WHY: LazyString = _l("Tell us why you decline, in one message.")
PROPOSAL_ACCEPTED: LazyString = _l(
    "Thank you. You accepted the remedy. We will tell you when it is done."
)
PROPOSAL_DECLINED: LazyString = _l("Thank you. We will talk with you about another remedy.")
WHAT_IS_MISSING: LazyString = _l("What is missing? Tell us in one message.")
MISSING_THANKS: LazyString = _l("Thank you. We told the team what is missing.")
APPEAL_WHY: LazyString = _l("Why do you appeal the decision? Tell us in one message.")
APPEAL_RECEIVED: LazyString = _l(
    "Thank you. We have your appeal. Someone who did not take the decision will review it."
)
REOPENED: LazyString = _l("Thank you. We are working on it again.")
STEP_CLOSED: LazyString = _l(
    "This step is no longer open. For news, send %(status)s with your case number and PIN."
)
WHICH_CASE: LazyString = _l("About case %(reference)s? Reply 1 yes, 2 a new complaint.")
WHICH_CASE_NEUTRAL: LazyString = _l(
    "Is this about your case with us? Reply 1 yes, 2 a new complaint."
)
MEDIA_REFUSED: LazyString = _l(
    "We can receive photos, voice messages and PDF files only. Please send the rest as text."
)
MEDIA_SKIPPED: LazyString = _l(
    "Files other than photos, voice messages and PDF files were not kept."
)
TRY_AGAIN: LazyString = _l("We could not read your message. Please send it again.")
# The people withdraw an organisation's mandate (WITHDRAW, case number, PIN).
WITHDRAW_HOW: LazyString = _l(
    "Send %(withdraw)s, your case number and your PIN, for example: %(withdraw)s 1234 5678 123456"
)
NO_MANDATE: LazyString = _l("Case %(reference)s: no organisation acts for you.")
WHICH_MANDATE: LazyString = _l(
    "Which organisation should stop acting for you? Reply with its number: %(choices)s"
)
MANDATE_WITHDRAWN: LazyString = _l(
    "Done. %(organisation)s no longer acts for you in case %(reference)s."
)
# Sent when an organisation whose mandate the people withdrew records a new one.
MANDATE_CODE: LazyString = _l(
    "%(organisation)s asks to act for you again. If you agree, give them this code: "
    "%(code)s. If not, do not give it to anyone."
)
# The people answered whether an organisation may know who they are (its name is not
# repeated: a reply may be read by someone else holding the phone).
CONSENT_GIVEN: LazyString = _l("Thank you. We will tell them who you are.")
CONSENT_REFUSED: LazyString = _l("Thank you. They will not know who you are.")
# How fair the handling was (remedy.sms.fairness): the thanks, and a number out of range.
FAIRNESS_THANKS: LazyString = _l("Thank you. Your answer helps us do better.")
FAIRNESS_RANGE: LazyString = _l("Please reply with a number from 1 (not at all) to 5 (very).")
# After HELP, when the operator set contact points (REMEDY_CONTACT_*): how to reach the
# team, each way named as the web pages name it.
CONTACT_TEAM: LazyString = _l("To reach the team: %(contacts)s.")
CONTACT_LABELS: dict[str, LazyString] = {
    "sms": _l("SMS"),
    "whatsapp": _l("WhatsApp"),
    "voice": _l("Phone call"),
    "email": _l("Email"),
    "address": _l("Address"),
}

# Every text a conversation can send, for the segment and alphabet tests.
CONVERSATION_TEXTS: dict[str, LazyString] = {
    "language_menu": LANGUAGE_MENU,
    "what_happened": WHAT_HAPPENED,
    "more": MORE,
    "nothing_yet": NOTHING_YET,
    "too_long": TOO_LONG,
    "story_full": STORY_FULL,
    "where": WHERE,
    "place_too_long": PLACE_TOO_LONG,
    "identity": IDENTITY,
    "reprisal": REPRISAL,
    "contact": CONTACT,
    "draft_reminder": DRAFT_REMINDER,
    "resume_offer": RESUME_OFFER,
    "not_understood": NOT_UNDERSTOOD,
    "filed": FILED,
    "help": HELP,
    "stopped": STOPPED,
    "started": STARTED,
    "status_how": STATUS_HOW,
    "status": STATUS,
    "status_due": STATUS_DUE,
    "status_outcome": STATUS_OUTCOME,
    "involved_cause": INVOLVED_CAUSE,
    "involved_contribute": INVOLVED_CONTRIBUTE,
    "involved_linked": INVOLVED_LINKED,
    "involved_linked_unnamed": INVOLVED_LINKED_UNNAMED,
    "contest_how": CONTEST_HOW,
    "contest_which": CONTEST_WHICH,
    "contest_received": CONTEST_RECEIVED,
    "explain_which": EXPLAIN_WHICH,
    "explain_received": EXPLAIN_RECEIVED,
    "check_in_thanks": CHECK_IN_THANKS,
    "information_thanks": INFORMATION_THANKS,
    "answer_added": ANSWER_ADDED,
    "tell_why": TELL_WHY,
    "proposal_accepted": PROPOSAL_ACCEPTED,
    "proposal_declined": PROPOSAL_DECLINED,
    "what_is_missing": WHAT_IS_MISSING,
    "missing_thanks": MISSING_THANKS,
    "appeal_why": APPEAL_WHY,
    "appeal_received": APPEAL_RECEIVED,
    "reopened": REOPENED,
    "step_closed": STEP_CLOSED,
    "which_case": WHICH_CASE,
    "which_case_neutral": WHICH_CASE_NEUTRAL,
    "media_refused": MEDIA_REFUSED,
    "media_skipped": MEDIA_SKIPPED,
    "try_again": TRY_AGAIN,
    "withdraw_how": WITHDRAW_HOW,
    "no_mandate": NO_MANDATE,
    "which_mandate": WHICH_MANDATE,
    "mandate_withdrawn": MANDATE_WITHDRAWN,
    "mandate_code": MANDATE_CODE,
    "consent_given": CONSENT_GIVEN,
    "consent_refused": CONSENT_REFUSED,
    "fairness_thanks": FAIRNESS_THANKS,
    "fairness_range": FAIRNESS_RANGE,
    "contact_team": CONTACT_TEAM,
}


# Segments each text may cost at most, in every language, with realistic values. A
# prompt costs one: people read it on a small screen, and it is sent at every step.
PROMPT = 1
SEGMENT_BUDGETS: dict[str, int] = {
    **{name: PROMPT for name in CONVERSATION_TEXTS},
    # The language menu names each language in its own script: UCS-2 by nature.
    "language_menu": 2,
    # Reference, PIN and how to use them, said once: worth a second segment.
    "filed": 2,
    "help": 2,
    # Sent after HELP, in the same reply: numbers, an address and an email address.
    "contact_team": 2,
    # The case's own words (its state, what comes next, a date or outcome).
    "status": 3,
    "status_due": 3,
    "status_outcome": 3,
    # An organisation's name (and its partner's) with what it must do: one line each.
    "involved_cause": 2,
    "involved_contribute": 2,
    "involved_linked": 2,
    "involved_linked_unnamed": 2,
    # Organisations' names, one or several, and a code with what to do with it.
    "which_mandate": 2,
    "contest_which": 2,
    "explain_which": 2,
    "mandate_withdrawn": 2,
    "mandate_code": 2,
}
# A question asked again after an answer not understood: "Sorry, we did not understand."
# in front may take it to a second segment (Arabic), never more.
ASKED_AGAIN_BUDGET = 2


def phone_date(value: date | datetime, language: str) -> str:
    """A date as a phone message shows it: the medium format of the reader's language, or
    the short numeric one where the medium one would leave GSM-7 (French "août")."""
    shown = format_date(value, "medium")
    if language in GSM7_LANGUAGES and not is_gsm7(shown):
        return format_date(value, "short")
    return str(shown)


def contact_points(contacts: ContactSettings, language: str) -> str | None:
    """The ways to reach the team in one line (numbers isolated left to right in a
    right-to-left language), or None when the operator set none. Inside ``force_locale``."""
    given = [
        f"{CONTACT_LABELS[kind]} {value if kind == 'address' else ltr_text(value, language)}"
        for kind, value in (
            ("sms", contacts.sms),
            ("whatsapp", contacts.whatsapp),
            ("voice", contacts.voice),
            ("email", contacts.email),
            ("address", contacts.address),
        )
        if value
    ]
    return str(CONTACT_TEAM) % {"contacts": ", ".join(given)} if given else None
