"""One-time recovery codes: the owner's way into a case whose PIN is locked or lost.

Printed on the receipt of a case filed on the web or through an NGO, where no phone
on file can prove the owner. Only a SHA-256 of the code is kept: the code is random
(80 bits), so a slow hash would add nothing but time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime, utcnow


class RecoveryCode(Model):
    """One live code per case; using it replaces it. Kept apart from the grievance row so
    issuing a code never bumps the grievance's version under the team's feet."""

    __tablename__ = "recovery_codes"

    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
