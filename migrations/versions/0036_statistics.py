"""Public statistics: organisations opt in to being named, and the figures' cache.

``organisations.publish_statistics`` (false for every organisation until it agrees);
``statistics_snapshots`` keeps the counts behind the public statistics with the time
they were computed, one row per period, shared by every process of a deployment.

Revision ID: 0036_statistics
Revises: 0035_root_causes
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0036_statistics"
down_revision = "0035_root_causes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("publish_statistics", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "statistics_snapshots",
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_statistics_snapshots")),
    )


def downgrade():
    op.drop_table("statistics_snapshots")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("publish_statistics")
