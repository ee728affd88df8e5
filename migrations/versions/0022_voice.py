"""The voice channel: calls (one per CallSid, a small workflow) and their recordings.

Revision ID: 0022_voice
Revises: 0021_reprisal_incidents
Create Date: 2026-12-09 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_voice'
down_revision = "0021_reprisal_incidents"
branch_labels = None
depends_on = None

PURPOSES = (
    'what_happened', 'where', 'question', 'decline_reason', 'missing', 'appeal_reason',
    'message',
)
STATUSES = ('pending', 'fetching', 'stored', 'discarded', 'failed')


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.LargeBinary(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('turn', sa.Integer(), nullable=False),
    sa.Column('last_key', sa.String(length=64), nullable=True),
    sa.Column('last_twiml', sa.LargeBinary(), nullable=True),
    sa.Column('identity_withheld', sa.Boolean(), nullable=True),
    sa.Column('contact_consent', sa.Boolean(), nullable=True),
    sa.Column('reprisal_feared', sa.Boolean(), nullable=True),
    sa.Column('grievance_id', sa.Integer(), nullable=True),
    sa.Column('pin', sa.LargeBinary(), nullable=True),
    sa.Column('reference', sa.String(length=16), nullable=True),
    sa.Column('ask_id', sa.Integer(), nullable=True),
    sa.Column('choices', sa.String(length=200), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ask_id'], ['asks.id'], name=op.f('fk_calls_ask_id_asks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_calls_grievance_id_grievances'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('call_sid', name=op.f('uq_calls_call_sid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_grievance_id'), ['grievance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_phone_hash'), ['phone_hash'], unique=False)

    op.create_table('call_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('recording_sid', sa.String(length=64), nullable=False),
    sa.Column('url', sa.LargeBinary(), nullable=False),
    sa.Column('duration', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Enum(*PURPOSES, name='recording_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=True),
    sa.Column('replaced', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum(*STATUSES, name='recording_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('transcript', sa.LargeBinary(), nullable=True),
    sa.Column('deleted_at_provider', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_call_recordings_attachment_id_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_recordings_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_call_recordings_grievance_id_grievances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_recordings')),
    sa.UniqueConstraint('recording_sid', name=op.f('uq_call_recordings_recording_sid'))
    )
    with op.batch_alter_table('call_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_recordings_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_recordings_grievance_id'), ['grievance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_recordings_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('call_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_recordings_status'))
        batch_op.drop_index(batch_op.f('ix_call_recordings_grievance_id'))
        batch_op.drop_index(batch_op.f('ix_call_recordings_call_id'))

    op.drop_table('call_recordings')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_phone_hash'))
        batch_op.drop_index(batch_op.f('ix_calls_grievance_id'))

    op.drop_table('calls')
