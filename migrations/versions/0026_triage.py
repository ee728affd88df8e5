"""Triage at screening: urgency flags, their dismissals, the queue's priority, a reviewer.

``priority`` is derived (urgent flags outrank every severity, then the highest severity
factor) and kept in step by the ORM; existing rows get it from their severity here.

Revision ID: 0026_triage
Revises: 0025_voice_callbacks
Create Date: 2026-12-16 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_triage"
down_revision = "0025_voice_callbacks"
branch_labels = None
depends_on = None

FILTERED = [
    "state",
    "severity_scale",
    "severity_scope",
    "severity_irremediability",
    "reprisal_risk",
    "channel",
    "language",
    "category",
    "assigned_user_id",
    "track_tags",
]


def upgrade():
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgency_flags", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("dismissed_flags", sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column("priority", sa.SmallInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("reviewer_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_grievances_reviewer_user_id_users"), "users", ["reviewer_user_id"], ["id"]
        )
    # The highest severity factor rated so far (none: 0); no row has a flag yet.
    op.execute(
        "UPDATE grievances SET priority = "
        "CASE WHEN COALESCE(severity_scale, 0) >= COALESCE(severity_scope, 0) "
        "AND COALESCE(severity_scale, 0) >= COALESCE(severity_irremediability, 0) "
        "THEN COALESCE(severity_scale, 0) "
        "WHEN COALESCE(severity_scope, 0) >= COALESCE(severity_irremediability, 0) "
        "THEN COALESCE(severity_scope, 0) "
        "ELSE COALESCE(severity_irremediability, 0) END"
    )
    op.create_index(
        "ix_grievances_queue_priority",
        "grievances",
        [sa.text("priority DESC"), "next_due_at", "id"],
        unique=False,
        postgresql_include=FILTERED,
    )


def downgrade():
    op.drop_index("ix_grievances_queue_priority", table_name="grievances")
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_grievances_reviewer_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("reviewer_user_id")
        batch_op.drop_column("priority")
        batch_op.drop_column("dismissed_flags")
        batch_op.drop_column("urgency_flags")
