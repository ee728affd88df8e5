"""Recovery codes, and lockouts that grow when they repeat (issue 18).

``recovery_codes`` keeps one SHA-256 per case of the code printed on its receipt;
``pin_lockouts.lock_count`` counts the locks in a row, so each repeat lasts longer.

Revision ID: 0041_recovery_codes
Revises: 0040_group_consultation
Create Date: 2026-12-07 23:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0041_recovery_codes"
down_revision = "0040_group_consultation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recovery_codes",
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_recovery_codes_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("grievance_id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("pin_lockouts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lock_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("pin_lockouts", schema=None) as batch_op:
        batch_op.drop_column("lock_count")
    op.drop_table("recovery_codes")
