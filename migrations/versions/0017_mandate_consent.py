"""Mandates the people control: a new mandate after the people withdrew one waits for
their consent (a code sent to their phone, or a supervisor's approval on evidence), and
the SMS dialogue asks which organisation's mandate to withdraw.

Revision ID: 0017_mandate_consent
Revises: 0016_message_tracks
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_mandate_consent"
down_revision = "0016_message_tracks"
branch_labels = None
depends_on = None

KINDS = (
    "question",
    "proposal",
    "decline_reason",
    "check_in",
    "missing",
    "appeal",
    "appeal_reason",
    "reopen",
    "which_case",
    "consent",
)
NEW_KINDS = (*KINDS, "withdraw_mandate")


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awaiting_consent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("consent_code_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("consent_code_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("consent_code_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("consented_via", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approval_evidence", sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_mandates_approved_by_id_users"), "users", ["approved_by_id"], ["id"]
        )

    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.alter_column("awaiting_consent", server_default=None)
        batch_op.alter_column("consent_code_attempts", server_default=None)

    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_asks_ask_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_asks_ask_kind"), sa.text(_kinds(NEW_KINDS)))


def downgrade():
    op.execute("DELETE FROM asks WHERE kind = 'withdraw_mandate'")
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_asks_ask_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_asks_ask_kind"), sa.text(_kinds(KINDS)))

    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_mandates_approved_by_id_users"), type_="foreignkey")
        batch_op.drop_column("approval_evidence")
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("consented_via")
        batch_op.drop_column("consented_at")
        batch_op.drop_column("consent_code_attempts")
        batch_op.drop_column("consent_code_expires_at")
        batch_op.drop_column("consent_code_hash")
        batch_op.drop_column("awaiting_consent")
