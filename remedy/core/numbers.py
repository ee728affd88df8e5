"""Numbers as people type them, and as right-to-left text must show them.

People in Arabic- and Persian-speaking places type their own digits: Arabic-Indic
(U+0660-0669) or Eastern Arabic (U+06F0-06F9), and some phones send full-width ones.
Every numeric input (a head count, a PIN, a reference, a phone number, an SMS menu
choice) passes through :func:`ascii_digits` once, where the channel reads it, so the
rules behind never see anything but 0-9. Free text (what people wrote) is left as it is.

References, PINs and phone numbers are strings of digits read left to right whatever
the page's direction; inside Arabic text the bidirectional algorithm would otherwise
reorder their groups ("1351 5335" shown as "5335 1351"). :func:`ltr_html` isolates them
in a page (the ``ltr`` template filter), :func:`ltr_text` in a message.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

# Left-to-right isolate and pop directional isolate (Unicode 6.3).
LRI = "\u2066"
PDI = "\u2069"


def ascii_digit(char: str) -> str:
    """The ASCII digit a decimal digit of any script stands for; other characters as they are."""
    if char.isascii() or unicodedata.category(char) != "Nd":
        return char
    return str(unicodedata.digit(char))


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (٣٠, ۳۰, full-width) written 0-9."""
    if text.isascii():
        return text
    return "".join(ascii_digit(char) for char in text)


def digits_filter(value: object) -> object:
    """The WTForms filter form of :func:`ascii_digits` (fields hold None before input)."""
    return ascii_digits(value) if isinstance(value, str) else value


def is_rtl(language: str) -> bool:
    return str(Locale.parse(language).text_direction) == "rtl"


def ltr_html(value: object, direction: str = "ltr") -> Markup:
    """``value`` isolated from the text around it: left to right for numbers; ``"auto"``
    for a localised date, whose own words decide its direction."""
    shown = escape("" if value is None else value)
    if direction == "auto":
        return Markup("<bdi>{}</bdi>").format(shown)
    return Markup('<bdi dir="ltr" class="ltr">{}</bdi>').format(shown)


def ltr_text(text: str, language: str) -> str:
    """A number isolated left to right in a right-to-left message (LRI ... PDI); as it is
    in other languages, where the two marks would only cost characters."""
    return f"{LRI}{text}{PDI}" if is_rtl(language) else text


# The placeholders of messages that hold numbers: references, PINs, codes, phone numbers.
NUMBER_PLACEHOLDERS = frozenset({"reference", "pin", "code", "phone"})


def isolate_numbers(values: dict[str, Any], language: str) -> dict[str, Any]:
    """A message's values with its numbers isolated left to right (:func:`ltr_text`)."""
    if not is_rtl(language):
        return values
    return {
        key: ltr_text(str(value), language) if key in NUMBER_PLACEHOLDERS and value else value
        for key, value in values.items()
    }
