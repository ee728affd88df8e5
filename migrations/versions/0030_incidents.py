"""Incidents: grievances about one event linked together, and recurrence alerts sent
to supervisors once per window.

Revision ID: 0030_incidents
Revises: 0029_webhooks
Create Date: 2026-12-07 18:01:00.368157

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0030_incidents"
down_revision = "0029_webhooks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.LargeBinary(), nullable=False),
        sa.Column("summary", sa.LargeBinary(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_incidents_created_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_table(
        "incident_grievances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_user_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_incident_grievances_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_grievances_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_user_id"],
            ["users.id"],
            name=op.f("fk_incident_grievances_linked_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_grievances")),
        sa.UniqueConstraint("grievance_id", name=op.f("uq_incident_grievances_grievance_id")),
    )
    with op.batch_alter_table("incident_grievances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_grievances_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "recurrence_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_recurrence_alerts_grievance_id_grievances"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurrence_alerts")),
    )
    with op.batch_alter_table("recurrence_alerts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recurrence_alerts_key", ["category", "term", "raised_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("recurrence_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_recurrence_alerts_key")

    op.drop_table("recurrence_alerts")
    with op.batch_alter_table("incident_grievances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_grievances_incident_id"))

    op.drop_table("incident_grievances")
    op.drop_table("incidents")
