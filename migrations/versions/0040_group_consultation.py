"""Group consultations: how a proxy consulted the people before a decision for all of
them (method, date, how many took part, encrypted notes).

Revision ID: 0040_group_consultation
Revises: 0039_evidence_files
Create Date: 2026-12-08 00:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0040_group_consultation"
down_revision = "0039_evidence_files"
branch_labels = None
depends_on = None

DECISIONS = ("accept_proposal", "decline_proposal", "check_in", "identity_consent")
METHODS = ("meeting", "visits", "phone_calls", "other")


def upgrade():
    op.create_table(
        "group_consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                *DECISIONS,
                name="group_decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "method",
            sa.Enum(
                *METHODS,
                name="consultation_method",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("notes", sa.LargeBinary(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "participants >= 1", name=op.f("ck_group_consultations_participants_positive")
        ),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_group_consultations_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["track_id"],
            ["involvement_tracks.id"],
            name=op.f("fk_group_consultations_track_id_involvement_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_group_consultations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_consultations")),
    )
    with op.batch_alter_table("group_consultations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_consultations_grievance_id"), ["grievance_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("group_consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_consultations_grievance_id"))
    op.drop_table("group_consultations")
