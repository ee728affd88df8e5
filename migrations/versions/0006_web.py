"""Web channel: one-time PIN reset codes, server-side filing drafts, and how the people
asked to be contacted (SMS, WhatsApp or a call).

Revision ID: 0006_web
Revises: 0005_sms
Create Date: 2026-11-22 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_web'
down_revision = '0005_sms'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_pin_resets_grievance_id_grievances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_pin_resets_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pin_resets'))
    )
    with op.batch_alter_table('pin_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pin_resets_grievance_id'), ['grievance_id'], unique=False)

    op.create_table('web_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.LargeBinary(), nullable=False),
    sa.Column('attachment_name', sa.LargeBinary(), nullable=True),
    sa.Column('attachment_type', sa.String(length=100), nullable=True),
    sa.Column('attachment_size', sa.Integer(), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_drafts')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_drafts_token_hash'))
    )
    with op.batch_alter_table('web_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_drafts_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('grievances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_channel', sa.Enum('sms', 'whatsapp', 'voice', 'web', 'proxy', 'api', name='contact_channel', native_enum=False, create_constraint=True, length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('grievances', schema=None) as batch_op:
        # The enum's CHECK constraint names the column: it goes first (SQLite rebuilds the table).
        batch_op.drop_constraint(batch_op.f('ck_grievances_contact_channel'), type_='check')
        batch_op.drop_column('contact_channel')

    with op.batch_alter_table('web_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_drafts_updated_at'))

    op.drop_table('web_drafts')
    with op.batch_alter_table('pin_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pin_resets_grievance_id'))

    op.drop_table('pin_resets')
