"""PINs typed in a message are masked before anything of the message is stored.

Staff read drafts, the messages a number sent and the simulator's transcript: a PIN
kept there would open the case as its complainant (DESIGN §6: secrets never reach
staff screens). Two shapes are masked at write time:

- a reference and PIN together, 8 digits then 6, however spaced ("1234 5678 123456",
  "12345678-123-456"): always, whoever sends it; the reference stays, it is no secret;
- 6 digits standing alone ("123456", "123 456"), from a number that has a case: they
  are most likely that case's PIN. Checking them against the PIN's Argon2id hash would
  cost a production-strength hash (about 0.2 s) per number and case, on every such
  message: a figure of six digits from someone with a case is masked instead.

Keywords read the message as sent (STATUS needs its PIN); only what is kept is masked.
"""

from __future__ import annotations

import re

MASK = "******"
# Between the digits of a reference or PIN: spaces, line breaks, hyphens, any number.
_GAP = r"[\s\-]*"
REFERENCE_AND_PIN = re.compile(
    rf"(?<!\d)(?P<reference>\d(?:{_GAP}\d){{7}})(?P<gap>{_GAP})(?P<pin>\d(?:{_GAP}\d){{5}})(?!\d)"
)
# Six digits, in one group or two of three, with no digit group right before or after.
LONE_PIN = re.compile(r"(?<!\d)(?<!\d[ \-])\d{3}[ \-]?\d{3}(?![ \-]?\d)")


def mask_pins(text: str, lone_pins: bool = False) -> str:
    """``text`` with every reference-and-PIN's PIN masked, and with ``lone_pins`` (the
    sender has a case) every lone group of six digits too."""
    masked = REFERENCE_AND_PIN.sub(lambda found: found["reference"] + found["gap"] + MASK, text)
    return LONE_PIN.sub(MASK, masked) if lone_pins else masked


def may_hold_lone_pin(text: str) -> bool:
    """Whether masking would need to know if the sender has a case (a cheap test first)."""
    return LONE_PIN.search(text) is not None
