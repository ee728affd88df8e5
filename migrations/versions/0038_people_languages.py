"""The people's texts in each of their languages: a remedy action's description, a track's
explanation and a decision's reason, written again per language (encrypted, like the
texts themselves).

Revision ID: 0038_people_languages
Revises: 0037_oversight_role
Create Date: 2026-12-07 23:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0038_people_languages"
down_revision = "0037_oversight_role"
branch_labels = None
depends_on = None

SUBJECTS = ("remedy_action", "track", "grievance")
FIELDS = ("description", "explanation", "reason")


def upgrade():
    op.create_table(
        "people_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                *SUBJECTS, name="text_subject", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "field",
            sa.Enum(
                *FIELDS, name="text_field", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("written_by", sa.String(length=64), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_people_texts_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people_texts")),
        sa.UniqueConstraint(
            "subject", "subject_id", "field", "language", name=op.f("uq_people_texts_subject")
        ),
    )
    with op.batch_alter_table("people_texts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_people_texts_grievance_id"), ["grievance_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("people_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_texts_grievance_id"))
    op.drop_table("people_texts")
