"""Involvement told to the people: their own words for each classification, and contests.

``explanation`` is the rationale as the people are told it (the staff rationale may
hold findings they should not read). A track whose classification the people contest
keeps the state it was contested in (``contested_state``) and their reason until a
supervisor who did not classify it upholds it or reclassifies.

Revision ID: 0027_involvement
Revises: 0026_triage
Create Date: 2026-12-16 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027_involvement"
down_revision = "0026_triage"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("contested_state", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("contest_reason", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("track_classifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("track_classifications", schema=None) as batch_op:
        batch_op.drop_column("explanation")
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.drop_column("contest_reason")
        batch_op.drop_column("contested_state")
        batch_op.drop_column("explanation")
