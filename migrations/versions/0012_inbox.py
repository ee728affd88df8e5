"""Durable inbox: the webhook stores inbound messages, workers handle them.

Messages stored before are marked processed: they were handled in their request.

Revision ID: 0012_inbox
Revises: 0011_drafts
Create Date: 2026-11-23 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_inbox'
down_revision = '0011_drafts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('opt_out', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('media_sent', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('available_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE inbound_messages SET processed_at = COALESCE(completed_at, received_at), "
        "outcome = 'replied', available_at = received_at"
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('available_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_inbound_messages_pending', ['processed_at', 'phone_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_messages_pending')
        batch_op.drop_column('last_error')
        batch_op.drop_column('available_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('outcome')
        batch_op.drop_column('processed_at')
        batch_op.drop_column('media_sent')
        batch_op.drop_column('opt_out')
        batch_op.drop_column('phone')
