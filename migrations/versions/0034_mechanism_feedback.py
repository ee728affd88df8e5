"""The people's feedback on the mechanism: how fair was the handling of their case, 1 to
5 with an optional comment, one answer per person and grievance; the SMS dialogue's
``fairness`` ask.

Revision ID: 0034_mechanism_feedback
Revises: 0033_handoffs
Create Date: 2026-12-18 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0034_mechanism_feedback"
down_revision = "0033_handoffs"
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
    "withdraw_mandate",
)
NEW_KINDS = (*KINDS, "fairness")
VIA = ("sms", "whatsapp", "voice", "web", "proxy")
PURPOSES = (
    "what_happened",
    "where",
    "question",
    "decline_reason",
    "missing",
    "appeal_reason",
    "contest_reason",
    "explanation_question",
    "message",
)
NEW_PURPOSES = (*PURPOSES, "fairness_comment")


def _listed(column, values):
    return sa.text(f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")")


def _replace_checks(kinds, purposes):
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_asks_ask_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_asks_ask_kind"), _listed("kind", kinds))
    with op.batch_alter_table("call_recordings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_call_recordings_recording_purpose"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_call_recordings_recording_purpose"), _listed("purpose", purposes)
        )


def upgrade():
    op.create_table(
        "mechanism_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.LargeBinary(), nullable=True),
        sa.Column(
            "via",
            sa.Enum(
                *VIA, name="feedback_via", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("proxy_organisation_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_mechanism_feedback_score_range")),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_mechanism_feedback_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_mechanism_feedback_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proxy_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_mechanism_feedback_proxy_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mechanism_feedback")),
        sa.UniqueConstraint(
            "grievance_id", "person_id", name=op.f("uq_mechanism_feedback_grievance_id")
        ),
    )
    with op.batch_alter_table("mechanism_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mechanism_feedback_grievance_id"), ["grievance_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mechanism_feedback_answered_at"), ["answered_at"], unique=False
        )
    _replace_checks(NEW_KINDS, NEW_PURPOSES)


def downgrade():
    op.execute("DELETE FROM asks WHERE kind = 'fairness'")
    op.execute("DELETE FROM call_recordings WHERE purpose = 'fairness_comment'")
    _replace_checks(KINDS, PURPOSES)
    with op.batch_alter_table("mechanism_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mechanism_feedback_answered_at"))
        batch_op.drop_index(batch_op.f("ix_mechanism_feedback_grievance_id"))
    op.drop_table("mechanism_feedback")
