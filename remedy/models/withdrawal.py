"""Why the people withdrew their case, if they said: a few common reasons to choose from.

Asked on the web and in the proxy portal, always optional. Fear of consequences is a
reprisal signal (the case's risk is raised for the team, ``remedy.cases.withdrawal``);
the reasons are counted nowhere public.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class WithdrawalReason(enum.StrEnum):
    RESOLVED = "resolved"
    AFRAID = "afraid"
    NOT_PURSUING = "not_pursuing"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(WITHDRAWAL_REASON_LABELS[self])


# In the people's words: they choose one on the web page, a proxy for them in the portal,
# and the team reads the same words on the timeline.
WITHDRAWAL_REASON_LABELS = {
    WithdrawalReason.RESOLVED: _l("The problem was solved another way"),
    WithdrawalReason.AFRAID: _l("Afraid of what could happen because of the complaint"),
    WithdrawalReason.NOT_PURSUING: _l("No longer want to go on with it"),
    WithdrawalReason.OTHER: _l("Another reason"),
}
