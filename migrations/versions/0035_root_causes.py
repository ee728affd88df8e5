"""Root causes, lessons learned, and recurrence alerts about a root cause.

An administrators' taxonomy of root causes (seeded here with seven examples whose labels
come from the catalogue), the causes set on each grievance and their confirmation at
closing, lessons learned with their causes and grievances, and a recurrence alert that
names a root cause instead of a category.

Revision ID: 0035_root_causes
Revises: 0034_mechanism_feedback
Create Date: 2026-12-07 21:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0035_root_causes"
down_revision = "0034_mechanism_feedback"
branch_labels = None
depends_on = None

SEEDED = (
    "wages",
    "land",
    "water",
    "security_forces",
    "automated_decision",
    "working_conditions",
    "community_relations",
)


def upgrade():
    root_causes = op.create_table(
        "root_causes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=True),
        sa.Column("translations", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_root_causes")),
        sa.UniqueConstraint("key", name=op.f("uq_root_causes_key")),
    )
    op.create_table(
        "grievance_root_causes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("root_cause_id", sa.Integer(), nullable=False),
        sa.Column("set_by_user_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_grievance_root_causes_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["root_cause_id"],
            ["root_causes.id"],
            name=op.f("fk_grievance_root_causes_root_cause_id_root_causes"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_user_id"],
            ["users.id"],
            name=op.f("fk_grievance_root_causes_set_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_root_causes")),
        sa.UniqueConstraint(
            "grievance_id",
            "root_cause_id",
            name=op.f("uq_grievance_root_causes_grievance_id"),
        ),
    )
    with op.batch_alter_table("grievance_root_causes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grievance_root_causes_grievance_id"), ["grievance_id"])
        batch_op.create_index(
            batch_op.f("ix_grievance_root_causes_root_cause_id"), ["root_cause_id"]
        )
    op.create_table(
        "root_cause_confirmations",
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by_user_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by_user_id"],
            ["users.id"],
            name=op.f("fk_root_cause_confirmations_confirmed_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_root_cause_confirmations_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("grievance_id", name=op.f("pk_root_cause_confirmations")),
    )
    op.create_table(
        "lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "dropped",
                name="lesson_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_lessons_created_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_lessons_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["users.id"], name=op.f("fk_lessons_owner_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lessons")),
    )
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lessons_organisation_id"), ["organisation_id"])
    op.create_table(
        "lesson_root_causes",
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("root_cause_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lesson_root_causes_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["root_cause_id"],
            ["root_causes.id"],
            name=op.f("fk_lesson_root_causes_root_cause_id_root_causes"),
        ),
        sa.PrimaryKeyConstraint("lesson_id", "root_cause_id", name=op.f("pk_lesson_root_causes")),
    )
    op.create_table(
        "lesson_grievances",
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_lesson_grievances_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_lesson_grievances_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lesson_id", "grievance_id", name=op.f("pk_lesson_grievances")),
    )
    with op.batch_alter_table("recurrence_alerts", schema=None) as batch_op:
        batch_op.alter_column("category", existing_type=sa.String(length=32), nullable=True)
        batch_op.add_column(sa.Column("root_cause_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_recurrence_alerts_root_cause_id_root_causes"),
            "root_causes",
            ["root_cause_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_recurrence_alerts_root_cause", ["root_cause_id", "term", "raised_at"]
        )
    now = datetime.now(UTC)
    op.bulk_insert(root_causes, [{"key": key, "created_at": now} for key in SEEDED])


def downgrade():
    op.execute("DELETE FROM recurrence_alerts WHERE category IS NULL")
    with op.batch_alter_table("recurrence_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_recurrence_alerts_root_cause")
        batch_op.drop_constraint(
            batch_op.f("fk_recurrence_alerts_root_cause_id_root_causes"), type_="foreignkey"
        )
        batch_op.drop_column("root_cause_id")
        batch_op.alter_column("category", existing_type=sa.String(length=32), nullable=False)
    op.drop_table("lesson_grievances")
    op.drop_table("lesson_root_causes")
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lessons_organisation_id"))
    op.drop_table("lessons")
    op.drop_table("root_cause_confirmations")
    with op.batch_alter_table("grievance_root_causes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grievance_root_causes_root_cause_id"))
        batch_op.drop_index(batch_op.f("ix_grievance_root_causes_grievance_id"))
    op.drop_table("grievance_root_causes")
    op.drop_table("root_causes")
