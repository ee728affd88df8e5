"""Reprisal incidents and the protection they bring: the incident log, a hold on all
contact with the people's phones, and protection organisations in the referral directory.

Revision ID: 0021_reprisal_incidents
Revises: 0019_sms_reprisal
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_reprisal_incidents"
down_revision = "0019_sms_reprisal"
branch_labels = None
depends_on = None

KINDS = (
    "labour_inspectorate",
    "national_human_rights_institution",
    "oecd_national_contact_point",
    "court",
    "partner_mechanism",
    "other",
)
NEW_KINDS = (*KINDS, "protection")


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def _replace_check(kinds):
    with op.batch_alter_table("referral_mechanisms", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_referral_mechanisms_mechanism_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_referral_mechanisms_mechanism_kind"), sa.text(_kinds(kinds))
        )


def upgrade():
    _replace_check(NEW_KINDS)
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_held_since", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "reprisal_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("what_happened", sa.LargeBinary(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("suspected", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_contact", sa.Boolean(), nullable=False),
        sa.Column("made_discreet", sa.Boolean(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.Column("alert_acknowledged_by_user_id", sa.Integer(), nullable=True),
        sa.Column("alert_acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_acknowledged_by_user_id"],
            ["users.id"],
            name=op.f("fk_reprisal_incidents_alert_acknowledged_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_reprisal_incidents_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_reprisal_incidents_recorded_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_reprisal_incidents_referral_id_referrals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reprisal_incidents")),
    )
    with op.batch_alter_table("reprisal_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reprisal_incidents_grievance_id"), ["grievance_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("reprisal_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reprisal_incidents_grievance_id"))
    op.drop_table("reprisal_incidents")
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.drop_column("contact_held_since")
    op.execute("UPDATE referral_mechanisms SET kind = 'other' WHERE kind = 'protection'")
    _replace_check(KINDS)
