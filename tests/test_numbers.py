"""The one reading of numbers (``remedy.core.numbers``) and the default country's setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from remedy.core.config import ConfigError, load_config
from remedy.core.numbers import LRI, PDI, ascii_digits, isolate_numbers, ltr_html, ltr_text
from remedy.core.references import normalise


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("٣٠", "30"),  # Arabic-Indic
        ("۳۰", "30"),  # Eastern Arabic (Persian)
        ("\uff13\uff10", "30"),  # full-width
        ("+٢٥٤ ٧١٢", "+254 712"),
        ("Kilima 12", "Kilima 12"),
    ],
)
def test_digits_of_any_script_are_read_as_ascii(typed: str, read: str) -> None:
    assert ascii_digits(typed) == read


def test_a_reference_typed_in_arabic_digits_is_the_same_reference() -> None:
    assert normalise("١٢٣٤ ٥٦٧٨") == "12345678"
    assert normalise("۱۲۳۴-۵۶۷۸") == "12345678"


def test_numbers_are_isolated_left_to_right_only_in_right_to_left_messages() -> None:
    assert ltr_text("1234 5678", "ar") == f"{LRI}1234 5678{PDI}"
    assert ltr_text("1234 5678", "fr") == "1234 5678"
    values = {"reference": "1234 5678", "pin": "123456", "reason": "٣ أيام"}
    assert isolate_numbers(values, "ar") == {
        "reference": f"{LRI}1234 5678{PDI}",
        "pin": f"{LRI}123456{PDI}",
        "reason": "٣ أيام",
    }
    assert isolate_numbers(values, "sw") == values


def test_the_page_isolate_escapes_what_it_holds() -> None:
    assert str(ltr_html("<b>1</b>")) == '<bdi dir="ltr" class="ltr">&lt;b&gt;1&lt;/b&gt;</bdi>'
    assert str(ltr_html("7 ديسمبر", "auto")) == "<bdi>7 ديسمبر</bdi>"


def test_the_default_country_is_checked_at_start_up(tmp_path: Path) -> None:
    assert load_config({"REMEDY_DEFAULT_COUNTRY": "ke"}, tmp_path)["REMEDY_DEFAULT_COUNTRY"] == "KE"
    assert load_config({}, tmp_path)["REMEDY_DEFAULT_COUNTRY"] == ""
    with pytest.raises(ConfigError, match="REMEDY_DEFAULT_COUNTRY"):
        load_config({"REMEDY_DEFAULT_COUNTRY": "Kenya"}, tmp_path)
