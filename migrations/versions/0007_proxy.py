"""Proxy portal: who withdrew a mandate, a note on how consent was obtained, and the
consent evidence (an encrypted attachment).

Revision ID: 0007_proxy
Revises: 0006_web
Create Date: 2026-11-22 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_proxy'
down_revision = '0006_web'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_grievances_filed_by_organisation_id'), 'grievances', ['filed_by_organisation_id'], unique=False)
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('consent_note', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('evidence_attachment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mandates_evidence_attachment_id_attachments'), 'attachments', ['evidence_attachment_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.drop_index(op.f('ix_grievances_filed_by_organisation_id'), table_name='grievances')
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mandates_evidence_attachment_id_attachments'), type_='foreignkey')
        batch_op.drop_column('evidence_attachment_id')
        batch_op.drop_column('consent_note')
        batch_op.drop_column('withdrawn_by')
