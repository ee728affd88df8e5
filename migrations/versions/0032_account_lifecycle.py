"""Account lifecycle: why an NGO was vetted, and when.

Vetting lets an NGO's members file and act for others; an inquiry later asks on what
evidence. ``vetting_note`` keeps the admin's reason (encrypted: it may name people),
``vetted_at`` when it was given. NGOs vetted before this revision keep no note.

Revision ID: 0032_account_lifecycle
Revises: 0027_involvement
Create Date: 2026-12-07 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0032_account_lifecycle"
down_revision = "0027_involvement"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vetting_note", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("vetted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("vetted_at")
        batch_op.drop_column("vetting_note")
