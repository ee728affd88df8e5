"""Jurisdiction policies: how long each state may last before the work is overdue.

Every state with a ``deadline`` key in its workflow gets ``due_at = entered +
policy[key]``. Ended states have no deadline, so nothing fires on ended work.

A severe or urgent case (triage at screening) runs by the policy's ``urgent`` deadlines
where it sets one: acknowledged within a day, screened within three, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
    # Shorter deadlines for severe or urgent cases; a key not listed keeps its usual one.
    urgent: Mapping[str, timedelta] = field(default_factory=dict)

    def deadline_for(self, key: str | None, urgent: bool = False) -> timedelta | None:
        if key is None:
            return None
        usual = self.deadlines.get(key)
        shorter = self.urgent.get(key) if urgent else None
        if shorter is None or usual is None:
            return usual
        return min(usual, shorter)


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
    # An explanation of an automated decision, once the people ask for it.
    "explanation": 30 * DAY,
    # Referrals: the receiving body is reminded (and the handler alerted) when it has not
    # acknowledged a referral within this time, then when it sends no news for this long,
    # until an outcome is recorded (remedy.cases.referral_reminders).
    "referral_acknowledge": 14 * DAY,
    "referral_update": 30 * DAY,
}

# Severe or urgent: days, not weeks, until a person has looked and a plan exists.
_URGENT = {
    "acknowledge": 1 * DAY,
    "screening": 3 * DAY,
    "assessment": 10 * DAY,
    "plan_remedy": 10 * DAY,
}

DEFAULT = JurisdictionPolicy("default", _l("Default"), _COMMON, urgent=_URGENT)

# EU Directive 2019/1937, art. 9: acknowledge within 7 days, feedback within 3 months.
EU_WHISTLEBLOWER = JurisdictionPolicy(
    "eu_whistleblower",
    _l("EU whistle-blower directive"),
    {**_COMMON, "acknowledge": 7 * DAY, "screening": 21 * DAY, "assessment": 45 * DAY},
    feedback_within=90 * DAY,
    urgent={**_URGENT, "assessment": 14 * DAY},
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
    return replace(policy, deadlines=deadlines)
