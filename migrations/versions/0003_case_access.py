"""Case access: wrong-PIN counts and lockouts per reference, shared by every channel.

Revision ID: 0003_case_access
Revises: 0002_workflows
Create Date: 2026-11-22 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_case_access'
down_revision = '0002_workflows'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_lockouts',
    sa.Column('reference', sa.String(length=8), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_pin_lockouts'))
    )


def downgrade():
    op.drop_table('pin_lockouts')
