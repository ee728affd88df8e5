"""Sensitive categories: sexual and gender-based violence, children and health are
restricted to staff whose account carries the ``sensitive`` clearance.

Revision ID: 0018_sensitive
Revises: 0017_mandate_consent
Create Date: 2026-12-07 13:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_sensitive"
down_revision = "0017_mandate_consent"
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
)
NEW_CATEGORIES = (*CATEGORIES, "sexual_violence", "children", "health")


def _categories(categories):
    return "category IN (" + ", ".join(f"'{category}'" for category in categories) + ")"


def _replace_check(categories):
    with op.batch_alter_table("grievances", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_grievances_category"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_grievances_category"), sa.text(_categories(categories))
        )


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("sensitive", server_default=None)
    _replace_check(NEW_CATEGORIES)


def downgrade():
    restricted = ", ".join(f"'{category}'" for category in NEW_CATEGORIES[len(CATEGORIES) :])
    op.execute(f"UPDATE grievances SET category = 'other' WHERE category IN ({restricted})")
    _replace_check(CATEGORIES)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("sensitive")
