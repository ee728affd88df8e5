"""Referrals as hand-offs, parallel proceedings, and State actors without tracks.

A referral records the people's consent to share their file (and how it was given), what
was shared, and the receiving body's acknowledgement, updates and outcome
(``referral_updates``); a mechanism in the directory may be linked to the body's own
organisation, whose ``referral_partner`` accounts answer through the API. A track paused
by parallel proceedings keeps the state to resume in, the kind of proceeding and the
reason. ``state_actors`` records the police, a local authority, an army... as parties
without an involvement track.

Revision ID: 0033_handoffs
Revises: 0032_tech_harms
Create Date: 2026-12-17 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0033_handoffs"
down_revision = "0032_tech_harms"
branch_labels = None
depends_on = None


ROLES = ("admin", "supervisor", "handler", "protection_officer", "auditor", "proxy_member")


def _replace_role_check(roles):
    listed = ", ".join(f"'{role}'" for role in roles)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), sa.text(f"role IN ({listed})"))


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    _replace_role_check((*ROLES, "referral_partner"))
    with op.batch_alter_table("referral_mechanisms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_referral_mechanisms_organisation_id"), ["organisation_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_referral_mechanisms_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "consent_via",
                _enum("referral_consent_via", "sms", "voice", "web", "proxy", "staff"),
                nullable=True,
            )
        )
        for name in ("consent_at", "acknowledged_at", "updated_at", "outcome_at", "reminded_at"):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("shared", sa.LargeBinary(), nullable=True))
    op.create_table(
        "referral_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("referral_update_kind", "acknowledgement", "update", "outcome"),
            nullable=False,
        ),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("by_partner", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_referral_updates_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_updates_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_updates")),
    )
    with op.batch_alter_table("referral_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_updates_referral_id"), ["referral_id"])
    op.create_table(
        "state_actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "state_actor_kind",
                "police",
                "local_authority",
                "armed_forces",
                "ministry",
                "other",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("conduct", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_state_actors_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_actors")),
    )
    with op.batch_alter_table("state_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_state_actors_grievance_id"), ["grievance_id"])
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proceedings_state", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column(
                "proceeding_kind",
                _enum(
                    "proceeding_kind",
                    "court",
                    "labour_inspectorate",
                    "oecd_national_contact_point",
                    "other",
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("proceedings_reason", sa.LargeBinary(), nullable=True))


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'referral_partner'")
    _replace_role_check(ROLES)
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.drop_column("proceedings_reason")
        batch_op.drop_constraint(batch_op.f("ck_involvement_tracks_proceeding_kind"), type_="check")
        batch_op.drop_column("proceeding_kind")
        batch_op.drop_column("proceedings_state")
    with op.batch_alter_table("state_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_actors_grievance_id"))
    op.drop_table("state_actors")
    with op.batch_alter_table("referral_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_updates_referral_id"))
    op.drop_table("referral_updates")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_referrals_referral_consent_via"), type_="check")
        for name in (
            "shared",
            "reminded_at",
            "outcome_at",
            "updated_at",
            "acknowledged_at",
            "consent_at",
            "consent_via",
            "consent",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("referral_mechanisms", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_referral_mechanisms_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_referral_mechanisms_organisation_id"))
        batch_op.drop_column("organisation_id")
