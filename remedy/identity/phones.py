"""Phone numbers as people write them: local or international, any digits; kept E.164.

``REMEDY_DEFAULT_COUNTRY`` (an ISO 3166 code, such as KE) is the country a number
without its country code belongs to, so "0712 345 678" is as good as "+254712345678".
A refusal shows the form expected with an example number of that country (from
libphonenumber's metadata), isolated left to right so an Arabic sentence keeps its
groups in order.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from flask import has_app_context
from flask_babel import get_locale
from flask_babel import gettext as _

from remedy.core.errors import InvalidInput
from remedy.core.numbers import ascii_digits, ltr_text
from remedy.core.settings import settings

# The example shown where no default country is set: a Kenyan mobile number's form.
INTERNATIONAL_SAMPLE = "+254 712 345 678"


@dataclass(frozen=True)
class PhoneExample:
    """How a number is written: locally (None without a default country) and in full."""

    local: str | None
    international: str


def default_country() -> str | None:
    return (settings().default_country or None) if has_app_context() else None


def phone_example(country: str | None = None) -> PhoneExample:
    """An example mobile number of the default country, in both forms people use."""
    region = country or default_country()
    if region is None:
        return PhoneExample(None, INTERNATIONAL_SAMPLE)
    number = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(region)
    if number is None:
        return PhoneExample(None, INTERNATIONAL_SAMPLE)
    return PhoneExample(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    )


def phone_problem() -> str:
    """Why a number was refused, with the form expected, in the reader's language."""
    example = phone_example()
    language = str(get_locale() or "en")
    if example.local is None:
        return _(
            "This is not a phone number we can use. Write it with its country code, "
            "for example %(international)s.",
            international=ltr_text(example.international, language),
        )
    return _(
        "This is not a phone number we can use. Write it like %(local)s or %(international)s.",
        local=ltr_text(example.local, language),
        international=ltr_text(example.international, language),
    )


def normalise_phone(text: str, region: str | None = None) -> str:
    """E.164 form of a phone number, or :class:`InvalidInput` saying how to write it.

    A number without its country code is read as one of ``region`` (by default
    ``REMEDY_DEFAULT_COUNTRY``); digits of any script count.
    """
    candidate = ascii_digits(text.strip().removeprefix("whatsapp:"))
    try:
        number = phonenumbers.parse(candidate, region or default_country())
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(phone_problem(), "phone") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput(phone_problem(), "phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
