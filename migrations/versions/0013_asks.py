"""Asks: what each phone number is being asked right now, so its answer finds its step.

Revision ID: 0011_asks
Revises: 0012_inbox
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_asks'
down_revision = '0012_inbox'
branch_labels = None
depends_on = None

KINDS = (
    'question', 'proposal', 'decline_reason', 'check_in', 'missing', 'appeal',
    'appeal_reason', 'reopen', 'which_case', 'consent',
)


def upgrade():
    op.create_table('asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='ask_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('grievance_id', sa.Integer(), nullable=True),
    sa.Column('track_id', sa.Integer(), nullable=True),
    sa.Column('check_in_id', sa.Integer(), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('added_information_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('held_text', sa.LargeBinary(), nullable=True),
    sa.Column('unlocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['added_information_id'], ['added_information.id'], name=op.f('fk_asks_added_information_id_added_information'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], name=op.f('fk_asks_check_in_id_check_ins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_asks_grievance_id_grievances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_asks_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_asks_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['involvement_tracks.id'], name=op.f('fk_asks_track_id_involvement_tracks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asks'))
    )
    with op.batch_alter_table('asks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asks_grievance_id'), ['grievance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asks_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asks_phone_hash'), ['phone_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('asks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asks_phone_hash'))
        batch_op.drop_index(batch_op.f('ix_asks_person_id'))
        batch_op.drop_index(batch_op.f('ix_asks_grievance_id'))

    op.drop_table('asks')
