"""A recording can say why the caller contests how an organisation is involved, or what
they want explained of an automated decision.

Revision ID: 0028_voice_contest
Revises: 0027_involvement
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_voice_contest"
down_revision = "0027_involvement"
branch_labels = None
depends_on = None

BEFORE = (
    "what_happened",
    "where",
    "question",
    "decline_reason",
    "missing",
    "appeal_reason",
    "message",
)
AFTER = (*BEFORE, "contest_reason", "explanation_question")


def _replace_check(purposes):
    with op.batch_alter_table("call_recordings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_call_recordings_recording_purpose"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_call_recordings_recording_purpose"),
            sa.text("purpose IN (" + ", ".join(f"'{p}'" for p in purposes) + ")"),
        )


def upgrade():
    _replace_check(AFTER)


def downgrade():
    op.execute(
        "DELETE FROM call_recordings WHERE purpose IN ('contest_reason', 'explanation_question')"
    )
    _replace_check(BEFORE)
