"""Outbox worker: leases and claims, the provider's status and error code, the SMS
fallback of a WhatsApp message, one index for due messages, and the timers every worker
shares (periodic jobs, send rate).

Revision ID: 0004_outbox_worker
Revises: 0003_case_access
Create Date: 2026-11-22 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_outbox_worker'
down_revision = '0003_case_access'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('provider_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('fallback_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_fallback_of_id_outbox_messages'), 'outbox_messages', ['fallback_of_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_status'))
        batch_op.create_index('ix_outbox_messages_due', ['status', 'available_at'], unique=False)

    op.create_table('worker_timers',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_timers'))
    )


def downgrade():
    op.drop_table('worker_timers')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.create_index(batch_op.f('ix_outbox_messages_status'), ['status'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_fallback_of_id_outbox_messages'), type_='foreignkey')
        batch_op.drop_column('fallback_of_id')
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('provider_status')
        batch_op.drop_column('error_code')
