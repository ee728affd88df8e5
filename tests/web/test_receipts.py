"""Receipts: the verification code proves a filing's reference and time, and nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from remedy.core.crypto import Keyring, generate_key
from remedy.core.extensions import db
from remedy.filing.receipts import receipt_for, verify_receipt
from tests.support import TEST_KEY, file_grievance


def test_a_receipts_code_verifies_its_own_filing(app: Flask) -> None:
    filed = file_grievance().grievance
    receipt = receipt_for(filed)

    assert verify_receipt(filed.reference, receipt.code) == filed
    assert verify_receipt(f"{filed.reference[:4]} {filed.reference[4:]}", receipt.code.lower())


def test_a_code_is_worthless_for_another_filing_or_another_time(app: Flask) -> None:
    first, second = file_grievance().grievance, file_grievance().grievance
    code = receipt_for(first).code

    assert verify_receipt(second.reference, code) is None
    first.received_at = first.received_at + timedelta(days=1)
    db.session.commit()
    assert verify_receipt(first.reference, code) is None


@pytest.mark.parametrize("bad", ["", "AAAA-AAAA-AAAA", "12345674", "not a reference"])
def test_made_up_codes_and_references_do_not_verify(app: Flask, bad: str) -> None:
    filed = file_grievance().grievance

    assert verify_receipt(filed.reference, bad) is None
    assert verify_receipt(bad, receipt_for(filed).code) is None


def test_codes_are_easy_to_read_aloud(app: Flask) -> None:
    code = receipt_for(file_grievance().grievance).code

    groups = code.split("-")
    assert [len(group) for group in groups] == [4, 4, 4]
    assert not set(code) & set("OI01")


def test_codes_still_verify_during_a_key_rotation(app: Flask) -> None:
    filed = file_grievance().grievance
    code = receipt_for(filed).code

    app.extensions["remedy.keyring"] = Keyring(generate_key(), TEST_KEY)

    assert verify_receipt(filed.reference, code) == filed
    assert receipt_for(filed).code != code


def test_staff_verify_a_paper_receipt_from_the_command_line(runner: FlaskCliRunner) -> None:
    filed = file_grievance().grievance
    code = receipt_for(filed).code

    good = runner.invoke(args=["receipts", "verify", filed.reference, code])
    bad = runner.invoke(args=["receipts", "verify", filed.reference, "AAAA-BBBB-CCCC"])

    assert good.exit_code == 0
    assert f"{filed.reference[:4]} {filed.reference[4:]}" in good.output
    assert bad.exit_code == 1
    assert "Not verified" in bad.output
