"""WhatsApp's session window and templates: when each number last wrote, and what each
outbox message says (its kind and values) so a template can be chosen when it is sent.

Revision ID: 0042_whatsapp_window
Revises: 0041_recovery_codes
Create Date: 2026-12-07 23:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0042_whatsapp_window"
down_revision = "0041_recovery_codes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "whatsapp_windows",
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone_hash", name=op.f("pk_whatsapp_windows")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("variables", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("variables")
        batch_op.drop_column("kind")
    op.drop_table("whatsapp_windows")
