"""Case work: identity reveals (asked, approved by a second person, time-limited), internal
notes, and an index to read one case's audit events.

Revision ID: 0009
Revises: 0008_console_queue
Create Date: 2026-11-22 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008_console_queue'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_reveals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.LargeBinary(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='reveal_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.LargeBinary(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_user_id'], ['users.id'], name=op.f('fk_identity_reveals_decided_by_user_id_users')),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_identity_reveals_grievance_id_grievances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_user_id'], ['users.id'], name=op.f('fk_identity_reveals_requested_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_reveals'))
    )
    with op.batch_alter_table('identity_reveals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_reveals_grievance_id'), ['grievance_id'], unique=False)

    op.create_table('internal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=False),
    sa.Column('author_organisation_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_organisation_id'], ['organisations.id'], name=op.f('fk_internal_notes_author_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_internal_notes_author_user_id_users')),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_internal_notes_grievance_id_grievances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_notes'))
    )
    with op.batch_alter_table('internal_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internal_notes_grievance_id'), ['grievance_id'], unique=False)

    # Not in batch mode: SQLite must never rebuild audit_events (its append-only triggers).
    op.create_index('ix_audit_events_subject', 'audit_events', ['subject_type', 'subject_id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_events_subject', table_name='audit_events')

    with op.batch_alter_table('internal_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internal_notes_grievance_id'))

    op.drop_table('internal_notes')
    with op.batch_alter_table('identity_reveals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_reveals_grievance_id'))

    op.drop_table('identity_reveals')
