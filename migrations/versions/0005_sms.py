"""SMS and WhatsApp: conversations (the drafts they build), inbound messages by Twilio
MessageSid with their stored replies, inbound media waiting to be fetched, PINs hashed ahead of time
by the worker, and the opt-out mirrored on people.

Revision ID: 0005_sms
Revises: 0004_outbox_worker
Create Date: 2026-11-22 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_sms'
down_revision = '0004_outbox_worker'
branch_labels = None
depends_on = None

CHANNELS = ('sms', 'whatsapp', 'voice', 'web', 'proxy', 'api')


def upgrade():
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('open_key', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.LargeBinary(), nullable=False),
    sa.Column('channel', sa.Enum(*CHANNELS, name='conversation_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('resume_state', sa.String(length=32), nullable=True),
    sa.Column('description', sa.LargeBinary(), nullable=True),
    sa.Column('location', sa.LargeBinary(), nullable=True),
    sa.Column('identity_withheld', sa.Boolean(), nullable=True),
    sa.Column('contact_consent', sa.Boolean(), nullable=True),
    sa.Column('grievance_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_conversations_grievance_id_grievances'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('open_key', name=op.f('uq_conversations_open_key'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversations_last_message_at'), ['last_message_at'], unique=False)

    op.create_table('inbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum(*CHANNELS, name='inbound_channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('reply', sa.LargeBinary(), nullable=True),
    sa.Column('reply_holds_pin', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_inbound_messages_conversation_id_conversations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
    sa.UniqueConstraint('message_sid', name=op.f('uq_inbound_messages_message_sid'))
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_messages_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_messages_received_at'), ['received_at'], unique=False)

    op.create_table('inbound_media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('grievance_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum('pending', 'fetching', 'stored', 'failed', name='media_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['inbound_messages.id'], name=op.f('fk_inbound_media_message_id_inbound_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_inbound_media_conversation_id_conversations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_inbound_media_grievance_id_grievances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_inbound_media_attachment_id_attachments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_media'))
    )
    with op.batch_alter_table('inbound_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_media_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_media_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_media_grievance_id'), ['grievance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_media_status'), ['status'], unique=False)

    op.create_table('prepared_pins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pin', sa.LargeBinary(), nullable=False),
    sa.Column('pin_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_pins'))
    )

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_opted_out_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('phone_opted_out_at')
    op.drop_table('prepared_pins')
    op.drop_table('inbound_media')
    op.drop_table('inbound_messages')
    op.drop_table('conversations')
