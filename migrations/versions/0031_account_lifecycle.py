"""Account lifecycle: the set-up link after a second factor is reset; why an NGO was
vetted, and when.

An admin who resets a lost second factor hands over a link; ``users.enrolment_digest``
keeps the SHA-256 of its key and ``enrolment_expires_at`` its end, so the password alone
does not enrol a new authenticator.

Vetting lets an NGO's members file and act for others; an inquiry later asks on what
evidence. ``vetting_note`` keeps the admin's reason (encrypted: it may name people),
``vetted_at`` when it was given. NGOs vetted before this revision keep no note.

Revision ID: 0031_account_lifecycle
Revises: 0030_incidents
Create Date: 2026-12-07 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0031_account_lifecycle"
down_revision = "0030_incidents"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enrolment_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("enrolment_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vetting_note", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("vetted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("vetted_at")
        batch_op.drop_column("vetting_note")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("enrolment_expires_at")
        batch_op.drop_column("enrolment_digest")
