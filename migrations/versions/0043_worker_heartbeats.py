"""Worker heartbeats, and the request id carried by outbox messages.

``worker_heartbeats``: one row per worker process (its id, host, pid, when it started
and its last beat), written on every turn of its loop, so ``worker status`` and the
metrics can tell live workers from stale ones. ``outbox_messages.request_id``: the id of
the web request that queued the message, which the worker logs when it sends it;
``inbound_messages.request_id``: the webhook request that stored an SMS, bound again while
the worker handles it, so its reply carries the same id.

Revision ID: 0043_worker_heartbeats
Revises: 0042_whatsapp_window
Create Date: 2026-12-07 23:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0043_worker_heartbeats"
down_revision = "0042_whatsapp_window"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "worker_heartbeats",
        sa.Column("worker_id", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=64), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_heartbeats")),
    )
    for table in ("outbox_messages", "inbound_messages"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def downgrade():
    for table in ("inbound_messages", "outbox_messages"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("request_id")
    op.drop_table("worker_heartbeats")
