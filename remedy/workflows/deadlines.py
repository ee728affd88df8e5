"""Jurisdiction policies: how long each state may last before the work is overdue.

Every state with a ``deadline`` key in its workflow gets ``due_at = entered +
policy[key]``. Ended states have no deadline, so nothing fires on ended work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

DAY = timedelta(days=1)


@dataclass(frozen=True)
class JurisdictionPolicy:
    name: str
    label: LazyString
    deadlines: Mapping[str, timedelta]
    # Substantive feedback to the complainant within this time of receipt, if the law says so.
    feedback_within: timedelta | None = None

    def deadline_for(self, key: str | None) -> timedelta | None:
        return None if key is None else self.deadlines.get(key)


_COMMON = {
    "acknowledge": 7 * DAY,
    "screening": 14 * DAY,
    "complainant_reply": 30 * DAY,
    "assessment": 30 * DAY,
    "appeal_review": 30 * DAY,
    "plan_remedy": 30 * DAY,
    "complainant_answer": 21 * DAY,
    "dialogue": 30 * DAY,
    "implement": 90 * DAY,
    "verify": 21 * DAY,
    "engage": 60 * DAY,
    "escalate": 60 * DAY,
    "partner_remedy": 120 * DAY,
    "contest_review": 21 * DAY,
}

DEFAULT = JurisdictionPolicy("default", _l("Default"), _COMMON)

# EU Directive 2019/1937, art. 9: acknowledge within 7 days, feedback within 3 months.
EU_WHISTLEBLOWER = JurisdictionPolicy(
    "eu_whistleblower",
    _l("EU whistle-blower directive"),
    {**_COMMON, "acknowledge": 7 * DAY, "screening": 21 * DAY, "assessment": 45 * DAY},
    feedback_within=90 * DAY,
)

POLICIES: dict[str, JurisdictionPolicy] = {
    policy.name: policy for policy in (DEFAULT, EU_WHISTLEBLOWER)
}


def with_overrides(policy: JurisdictionPolicy, overrides: str) -> JurisdictionPolicy:
    """Apply ``"screening=10,assessment=20"`` (days) from configuration."""
    if not overrides.strip():
        return policy
    deadlines = dict(policy.deadlines)
    for part in overrides.split(","):
        key, _sep, days = part.partition("=")
        key = key.strip()
        if key not in deadlines or not days.strip().isdigit():
            raise ValueError(f"deadline override {part.strip()!r}: use known_key=days")
        deadlines[key] = int(days) * DAY
    return JurisdictionPolicy(policy.name, policy.label, deadlines, policy.feedback_within)
