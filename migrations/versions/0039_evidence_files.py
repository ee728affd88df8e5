"""Files after filing, and why a case was withdrawn: an attachment may be a remedy action's
proof of delivery or come with information added later; a grievance keeps the reason the
people gave for withdrawing it (one of a few, optional) and their own words, encrypted.

Revision ID: 0039_evidence_files
Revises: 0038_people_languages
Create Date: 2026-12-07 23:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0039_evidence_files"
down_revision = "0038_people_languages"
branch_labels = None
depends_on = None

REASONS = ("resolved", "afraid", "not_pursuing", "other")
LINKS = (("remedy_action_id", "remedy_actions"), ("added_information_id", "added_information"))


def upgrade():
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        for column, table in LINKS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_attachments_{column}_{table}"),
                table,
                [column],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.create_index(batch_op.f(f"ix_attachments_{column}"), [column])
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "withdrawal_reason",
                sa.Enum(
                    *REASONS,
                    name="withdrawal_reason",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("withdrawal_note", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        # The enum's CHECK constraint names the column: it goes first (SQLite rebuilds the table).
        batch_op.drop_constraint(batch_op.f("ck_grievances_withdrawal_reason"), type_="check")
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawal_note")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        for column, table in reversed(LINKS):
            batch_op.drop_index(batch_op.f(f"ix_attachments_{column}"))
            batch_op.drop_constraint(
                batch_op.f(f"fk_attachments_{column}_{table}"), type_="foreignkey"
            )
            batch_op.drop_column(column)
