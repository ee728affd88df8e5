"""The oversight role: members of an oversight body read de-identified case timelines.

Roles are stored as text with a CHECK constraint, so the constraint is recreated with the
new value; downgrading removes the accounts that hold it first.

Revision ID: 0037_oversight_role
Revises: 0036_statistics
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0037_oversight_role"
down_revision = "0036_statistics"
branch_labels = None
depends_on = None


ROLES = (
    "admin",
    "supervisor",
    "handler",
    "protection_officer",
    "auditor",
    "proxy_member",
    "referral_partner",
)


def _replace_role_check(roles):
    listed = ", ".join(f"'{role}'" for role in roles)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), sa.text(f"role IN ({listed})"))


def upgrade():
    _replace_role_check((*ROLES, "oversight"))


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'oversight'")
    _replace_role_check(ROLES)
