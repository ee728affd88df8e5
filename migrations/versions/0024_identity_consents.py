"""Identity per organisation: the organisations the mechanism serves, and the people's
answer, for every other organisation with a track, to "may it know who you are?".

Existing companies are served (the identity question at filing was about them); every
other organisation sees pseudonyms until the people agree.

Revision ID: 0024_identity_consents
Revises: 0023_retention
Create Date: 2026-12-08 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_identity_consents"
down_revision = "0023_retention"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("served", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE organisations SET served = (kind = 'company')")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("served", server_default=None)

    op.create_table(
        "identity_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "pending",
                "yes",
                "no",
                name="consent_answer",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "answered_via",
            sa.Enum(
                "sms",
                "voice",
                "web",
                "proxy",
                "staff",
                name="consent_via",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("answered_by_person_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_person_id"],
            ["people.id"],
            name=op.f("fk_identity_consents_answered_by_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["users.id"],
            name=op.f("fk_identity_consents_answered_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_identity_consents_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_identity_consents_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_consents")),
        sa.UniqueConstraint(
            "grievance_id",
            "organisation_id",
            name=op.f("uq_identity_consents_grievance_id"),
        ),
    )
    with op.batch_alter_table("identity_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_consents_grievance_id"), ["grievance_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("identity_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_consents_grievance_id"))
    op.drop_table("identity_consents")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("served")
