"""The SMS and WhatsApp conversation asks whether the person fears harm for complaining.

Revision ID: 0019_sms_reprisal
Revises: 0018_sensitive
Create Date: 2026-12-07 13:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_sms_reprisal'
down_revision = '0018_sensitive'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reprisal_feared', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('reprisal_feared')
