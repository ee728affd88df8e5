"""Outbox messages know the track they are about, so an organisation reads only its own.

Existing messages of a track's step get their track back from the audit event that caused
them (their dedupe key starts with ``a<seq>:``).

Revision ID: 0016_message_tracks
Revises: 0015_staff_sessions
Create Date: 2026-12-07 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_message_tracks'
down_revision = '0015_staff_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('track_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_track_id_involvement_tracks'), 'involvement_tracks', ['track_id'], ['id'], ondelete='SET NULL')
    connection = op.get_bind()
    tracks = {row[0] for row in connection.execute(sa.text('SELECT id FROM involvement_tracks'))}
    by_event = {}
    for seq, subject_id in connection.execute(sa.text(
        "SELECT seq, subject_id FROM audit_events WHERE subject_type = 'track'"
    )):
        if subject_id and subject_id.isdigit() and int(subject_id) in tracks:
            by_event[seq] = int(subject_id)
    messages = connection.execute(sa.text(
        "SELECT id, dedupe_key FROM outbox_messages WHERE dedupe_key LIKE 'a%'"
    )).all()
    for message_id, key in messages:
        seq = key[1:].partition(':')[0]
        if seq.isdigit() and int(seq) in by_event:
            connection.execute(
                sa.text('UPDATE outbox_messages SET track_id = :track WHERE id = :id'),
                {'track': by_event[int(seq)], 'id': message_id},
            )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_track_id_involvement_tracks'), type_='foreignkey')
        batch_op.drop_column('track_id')
