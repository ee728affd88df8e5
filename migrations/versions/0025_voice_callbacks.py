"""Call-backs: calls placed through the outbox, and the SMS words kept for their fallback.

An outbox message on the voice channel is placed as a call; ``sms_body`` keeps the same
words as an SMS would say them, sent when no call is heard. A call placed by the
mechanism names the outbox message it carries (``calls.outbox_id``).

Revision ID: 0025_voice_callbacks
Revises: 0024_identity_consents
Create Date: 2026-12-15 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_voice_callbacks"
down_revision = "0024_identity_consents"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_body", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_calls_outbox_id"), ["outbox_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_calls_outbox_id_outbox_messages"),
            "outbox_messages",
            ["outbox_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_calls_outbox_id_outbox_messages"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_calls_outbox_id"))
        batch_op.drop_column("outbox_id")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("sms_body")
