"""The words of every language, from the one catalogue: done words end a story like 0."""

from __future__ import annotations

import pytest

from remedy.messaging import sms_texts
from remedy.messaging.words import DONE_WORDS, NO_WORDS, YES_WORDS
from remedy.sms.keywords import done, is_status, yes_no
from tests.sms.conftest import GREETINGS, Phone, rendered

LANGUAGES = ("en", "fr", "es", "sw", "ar")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_yes_no_and_done_word_is_recognised(language: str) -> None:
    for word in YES_WORDS[language]:
        assert yes_no(word) is True, word
    for word in NO_WORDS[language]:
        assert yes_no(f" {word.lower()}! ") is False, word
    for word in DONE_WORDS[language]:
        assert done(word.title()), word


@pytest.mark.parametrize(
    ("typed", "language"),
    [("done", "en"), ("Fini", "fr"), ("LISTO", "es"), ("nimemaliza", "sw"), ("انتهيت", "ar")],
)
def test_a_done_word_ends_the_story(phone: Phone, typed: str, language: str) -> None:
    phone.send(GREETINGS[language])
    phone.send("The new fence blocks the path to the well.")

    assert phone.send(typed) == rendered(sms_texts.WHERE, language)
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == "The new fence blocks the path to the well."


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("8548 7756 123456", True),
        ("85487756-123456", True),
        ("٨٥٤٨ ٧٧٥٦ ١٢٣٤٥٦", True),
        ("8548 7756", False),
        ("We paid 8548 7756 123456 shillings", False),
    ],
)
def test_a_reference_and_pin_alone_read_as_status(typed: str, status: bool) -> None:
    assert is_status(typed) is status
