"""Drafts people can come back to: the reminder sent once a silence, and what a person
wrote while asked whether to go on with an expired draft.

Revision ID: 0011_drafts
Revises: 0010
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_drafts'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_text', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('waiting_text')
