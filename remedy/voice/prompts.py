"""What the voice channel says, one prompt a name, in the translation catalogues.

A prompt is played from a recording when one is installed for the language
(``instance/voice/<lang>/<name>.mp3``), else spoken with the language's voice
(:mod:`remedy.voice.speech`). Prompts with values (a digit, an organisation's name)
are always spoken. Notes for translators: keep the key numbers as they are; "the hash
key" is the # key of a phone.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

PROMPTS: dict[str, LazyString] = {
    # Translators: said in each language's own voice; name YOUR language ("Pour continuer
    # en français, appuyez sur %(digit)s.").
    "language_option": _l("To continue in English, press %(digit)s."),
    # A call-back: said before anything else, as someone else may have answered.
    "callback_news": _l(
        "Hello. This is the grievance mechanism, calling with news about your case."
    ),
    "called_back": _l("Hello. This is the grievance mechanism, calling you back."),
    "main_menu": _l(
        "To make a complaint, press 1. To hear about your case, press 2. To speak to "
        "someone, press 3. For another language, press 9."
    ),
    "what_happened": _l(
        "After the beep, say what happened. You have three minutes. Press the hash key "
        "when you are done."
    ),
    "story_recorded": _l("To keep this recording, press 1. To record it again, press 2."),
    "where": _l(
        "After the beep, say where it happened: the village, town or place. Press the hash "
        "key when you are done."
    ),
    "identity": _l("May the company know who you are? Press 1 for yes, 2 for no."),
    "contact": _l("May we call you back on this number? Press 1 for yes, 2 for no."),
    "reprisal": _l(
        "Are you afraid someone may harm you for complaining? Press 1 for yes, 2 for no."
    ),
    "filed": _l(
        "Thank you. Your complaint is filed. Please remember your case number and your PIN, "
        "or write them down."
    ),
    "your_reference": _l("Your case number is:"),
    "your_pin": _l("Your PIN is:"),
    "once_more": _l("Once more."),
    "hear_again": _l("Keep your PIN secret. To hear the numbers again, press 1."),
    "sent_by_sms": _l("We also sent them to you in a text message."),
    "enter_reference": _l("Type your case number: eight digits."),
    "enter_pin": _l("Type your PIN: six digits."),
    "no_case": _l("We found no case with this number and PIN."),
    "too_many": _l("Too many tries. Please wait an hour and call again."),
    # After a refused PIN: the ways in that no lock of the case closes.
    "way_in": _l(
        "If you still cannot get in, use the recovery code on your receipt on our website, "
        "or ask the organisation that helped you, or the team."
    ),
    "answer_proposal": _l("To answer the proposal, press %(digit)s."),
    "answer_check_in": _l("To tell us whether the remedy arrived, press %(digit)s."),
    "answer_question": _l("To answer our question, press %(digit)s."),
    "appeal": _l("To appeal the decision, press %(digit)s."),
    "withdraw_mandate": _l("To stop an organisation from acting for you, press %(digit)s."),
    "answer_consent": _l("To say whether an organisation may know who you are, press %(digit)s."),
    "contest": _l("If you disagree with how an organisation is involved, press %(digit)s."),
    "consent_question": _l(
        "May %(organisation)s know who you are? Until you say yes, it sees no name or "
        "number. For yes, press 1. For no, press 2."
    ),
    "proposal": _l("To accept the proposal, press 1. To decline it, press 2."),
    "proposed": _l("We propose: %(remedy)s."),
    "decline_reason": _l(
        "After the beep, say why you decline. Press the hash key when you are done."
    ),
    "check_in": _l("Did the remedy arrive? Press 1 for yes, 2 for partly, 3 for no."),
    "missing": _l("After the beep, say what is missing. Press the hash key when you are done."),
    "question": _l(
        "After the beep, give your answer to our question. Press the hash key when you are done."
    ),
    "appeal_reason": _l(
        "After the beep, say why you appeal. Press the hash key when you are done."
    ),
    "explain": _l("To ask why an automated decision was made, press %(digit)s."),
    "explain_reason": _l(
        "After the beep, say what you want explained. Press the hash key when you are done, "
        "or at once if there is nothing to add."
    ),
    "explain_received": _l("Thank you. The team will explain the decision to you."),
    "contest_reason": _l(
        "After the beep, say why you disagree with how it is involved. Press the hash key "
        "when you are done."
    ),
    "contest_received": _l(
        "Thank you. Someone who did not decide how the organisation is involved will "
        "review it and tell you."
    ),
    "answer_fairness": _l(
        "To tell us how fair the way we handled your complaint was, press %(digit)s."
    ),
    "fairness_question": _l(
        "How fair was the way we handled your complaint? Press a key from 1 for not at all "
        "fair, to 5 for very fair."
    ),
    "fairness_comment": _l(
        "Thank you. After the beep, you can add a comment. Press the hash key when you are "
        "done, or at once if there is nothing to add."
    ),
    "organisation": _l("For %(organisation)s, press %(digit)s."),
    "mandate_withdrawn": _l("%(organisation)s no longer acts for you in this case."),
    "answered": _l("Thank you. We have your answer."),
    "accepted": _l("Thank you. You accepted the remedy. We will tell you when it is done."),
    "step_closed": _l("This step is closed now. Nothing was changed."),
    "forwarding": _l("Please wait. We are connecting you to the team."),
    "team_message": _l(
        "Nobody can answer now. After the beep, leave a message for the team. Press the "
        "hash key when you are done."
    ),
    "message_kept": _l("Thank you. The team will listen to your message."),
    "not_understood": _l("Sorry, we did not understand."),
    "nothing_heard": _l("Sorry, we did not hear anything."),
    "goodbye": _l("Thank you for calling. Goodbye."),
}

# What a grievance or an answer says when it was told in a recording (the recording is
# its attachment); written in the mechanism's default language, for the team.
TOLD_IN_RECORDING: LazyString = _l("[voice recording]")
