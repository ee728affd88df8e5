"""Technology harms (UN B-Tech): four intake categories, whether the person uses the
product, an external reference, and an explanation of an automated decision.

``external_reference`` (an account, content or flag id) is encrypted: an account id can
name a person. A track waiting for an explanation keeps the state it was asked in
(``explanation_asked_in``), what the people asked, and the explanation the team gave.

Revision ID: 0032_tech_harms
Revises: 0031_account_lifecycle
Create Date: 2026-12-17 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0032_tech_harms"
down_revision = "0031_account_lifecycle"
branch_labels = None
depends_on = None

CATEGORIES = (
    "labour",
    "land",
    "environment",
    "health_and_safety",
    "community",
    "discrimination",
    "security_forces",
    "product",
    "other",
    "sexual_violence",
    "children",
    "health",
)
TECHNOLOGY = ("automated_decision", "privacy", "online_content", "tech_labour")
PRODUCT_USER = ("yes", "no", "unknown")


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _replace_category_check(categories):
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_grievances_category"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_grievances_category"), sa.text(_in("category", categories))
        )


def upgrade():
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "product_user",
                sa.Enum(
                    *PRODUCT_USER,
                    name="product_user",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("external_reference", sa.LargeBinary(), nullable=True))
    _replace_category_check((*CATEGORIES, *TECHNOLOGY))
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("explanation_asked_in", sa.String(length=32), nullable=True)
        )
        batch_op.add_column(sa.Column("explanation_question", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("explanation_given", sa.LargeBinary(), nullable=True))


def downgrade():
    # A track waiting for an explanation goes back to where it was asked for.
    op.execute(
        "UPDATE involvement_tracks SET state = explanation_asked_in "
        "WHERE state = 'explanation_requested' AND explanation_asked_in IS NOT NULL"
    )
    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.drop_column("explanation_given")
        batch_op.drop_column("explanation_question")
        batch_op.drop_column("explanation_asked_in")
    op.execute(f"UPDATE grievances SET category = 'product' WHERE {_in('category', TECHNOLOGY)}")
    _replace_category_check(CATEGORIES)
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        # SQLite keeps a CHECK naming a dropped column when it copies the table: drop it first.
        batch_op.drop_constraint(batch_op.f("ck_grievances_product_user"), type_="check")
        batch_op.drop_column("external_reference")
        batch_op.drop_column("product_user")
