"""docs/sms.md shows, in each language, a whole case by SMS exactly as a phone receives it.

Each transcript is made by running the case (``tests/sms/transcripts.py``) through the
signed webhook, the inbox, the workflows, the outbox and the fake Twilio API. The test
fails when the document and what the phone receives disagree; ``make docs-sms`` writes
the document again (``REMEDY_WRITE_DOCS=1``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from remedy.cli.workflows import refresh, stale_sections
from tests.sms.conftest import PUBLIC_URL, Phone
from tests.sms.transcripts import LANGUAGE_NAMES, markdown, whole_case, word_table
from tests.workflows.scenarios import Scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "sms.md"
WRITE = os.environ.get("REMEDY_WRITE_DOCS") == "1"
REFRESH = "the SMS texts changed: run `make docs-sms` and review the diff of docs/sms.md"


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {**sends_to_twilio, "REMEDY_PUBLIC_URL": PUBLIC_URL}


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_the_transcript_of_a_whole_case_by_sms_is_the_documented_one(
    scenario: Scenario, texting_phone: Phone, language: str
) -> None:
    sections = {
        f"transcript.{language}": markdown(language, whole_case(scenario, texting_phone, language))
    }
    if WRITE:
        DOC.write_text(refresh(DOC.read_text(encoding="utf-8"), sections), encoding="utf-8")
    assert stale_sections(DOC.read_text(encoding="utf-8"), sections) == [], REFRESH


def test_the_documented_words_are_the_catalogue() -> None:
    sections = {"words": word_table()}
    if WRITE:
        DOC.write_text(refresh(DOC.read_text(encoding="utf-8"), sections), encoding="utf-8")
    assert stale_sections(DOC.read_text(encoding="utf-8"), sections) == [], REFRESH
