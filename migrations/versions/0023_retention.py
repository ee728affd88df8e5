"""Retention and erasure: subject keys, the end time of a case, erasure requests.

Revision ID: 0023_retention
Revises: 0022_voice
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_retention'
down_revision = "0022_voice"
branch_labels = None
depends_on = None

ENDED_STATES = ('resolved', 'not_admissible', 'no_involvement', 'withdrawn')


def upgrade():
    op.create_table(
        'data_keys',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=16), nullable=False),
        sa.Column('key', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('destroyed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_keys')),
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_key_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('grievances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('data_key_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_grievances_erased_at'), ['erased_at'], unique=False)
    # Cases that ended before this version: their last change is the best end time known.
    grievances = sa.table(
        'grievances',
        sa.column('state', sa.String),
        sa.column('ended_at', sa.DateTime(timezone=True)),
        sa.column('resolved_at', sa.DateTime(timezone=True)),
        sa.column('updated_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        grievances.update()
        .where(grievances.c.state.in_(ENDED_STATES))
        .values(ended_at=sa.func.coalesce(grievances.c.resolved_at, grievances.c.updated_at))
    )
    op.create_table(
        'erasure_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('grievance_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.LargeBinary(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            'status',
            sa.Enum(
                'pending', 'approved', 'refused',
                name='erasure_status', native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),
        sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
        sa.Column('decision_note', sa.LargeBinary(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['decided_by_user_id'], ['users.id'],
            name=op.f('fk_erasure_requests_decided_by_user_id_users'),
        ),
        sa.ForeignKeyConstraint(
            ['grievance_id'], ['grievances.id'],
            name=op.f('fk_erasure_requests_grievance_id_grievances'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['requested_by_user_id'], ['users.id'],
            name=op.f('fk_erasure_requests_requested_by_user_id_users'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests')),
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_erasure_requests_grievance_id'), ['grievance_id'], unique=False
        )


def _unseal_subject_values():
    """Before data_keys goes: every value under a subject key back under the master key
    (a value whose key was destroyed stays erased: NULL, or an empty value)."""
    from flask import current_app

    from remedy.core.crypto import SubjectKey, is_tombstone, subject_key_id_of

    bind = op.get_bind()
    ring = current_app.extensions["remedy.keyring"]
    keys = {}
    for key_id, wrapped in bind.execute(sa.text("SELECT id, key FROM data_keys")):
        raw = bytes.fromhex(key_id)
        keys[raw] = (
            SubjectKey(raw, ring.decrypt(bytes(wrapped), "data_keys.key")) if wrapped else None
        )
    if not keys:
        return
    inspector = sa.inspect(bind)
    for table_name in inspector.get_table_names():
        if table_name == 'data_keys':
            continue
        columns = inspector.get_columns(table_name)
        binary = [c for c in columns if isinstance(c['type'], sa.LargeBinary)]
        primary = inspector.get_pk_constraint(table_name)['constrained_columns']
        if not binary or len(primary) != 1:
            continue
        table = sa.table(table_name, sa.column(primary[0]), *(sa.column(c['name'], sa.LargeBinary) for c in binary))
        for row in bind.execute(sa.select(table)).mappings().all():
            values = {}
            for column in binary:
                blob = row[column['name']]
                key_id = subject_key_id_of(bytes(blob)) if blob is not None else None
                if key_id is None:
                    continue
                context = f"{table_name}.{column['name']}"
                key = keys.get(key_id)
                if key is not None and not is_tombstone(bytes(blob)):
                    values[column['name']] = ring.encrypt(key.decrypt(bytes(blob), context), context)
                else:
                    values[column['name']] = None if column['nullable'] else ring.encrypt(b"", context)
            if values:
                bind.execute(
                    table.update().where(table.c[primary[0]] == row[primary[0]]).values(values)
                )


def downgrade():
    _unseal_subject_values()
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_requests_grievance_id'))
    op.drop_table('erasure_requests')
    with op.batch_alter_table('grievances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grievances_erased_at'))
        batch_op.drop_column('erased_at')
        batch_op.drop_column('data_key_id')
        batch_op.drop_column('ended_at')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('data_key_id')
    op.drop_table('data_keys')
