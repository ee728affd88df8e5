"""Console queue: assignment, the next deadline as the queue's sort key, a blind index of
place words, and the indexes the queue, its filters and the supervisor view use.

Existing grievances get their next deadline computed and their places indexed (which
needs the app's key: Flask-Migrate runs migrations inside the app).

Revision ID: 0008_console_queue
Revises: 0007_proxy
Create Date: 2026-11-22 01:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_console_queue"
down_revision = "0007_proxy"
branch_labels = None
depends_on = None

ENDED_GRIEVANCE_STATES = ("resolved", "not_admissible", "no_involvement", "withdrawn")
PRE_FEEDBACK_STATES = ("received", "screening", "awaiting_complainant", "assessment")
FILTERED = [
    "state",
    "severity_scale",
    "severity_scope",
    "severity_irremediability",
    "reprisal_risk",
    "channel",
    "language",
    "category",
    "assigned_user_id",
    "track_tags",
]


def upgrade():
    # Plain ADD COLUMN, never a batch copy of the table: on SQLite that copy drops the old
    # table, and with foreign keys on, dropping it deletes every row that cascades from it
    # (tracks, people links...). SQLite takes the foreign key inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE grievances ADD COLUMN assigned_user_id INTEGER "
            "CONSTRAINT fk_grievances_assigned_user_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("grievances", sa.Column("assigned_user_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_grievances_assigned_user_id_users"),
            "grievances",
            "users",
            ["assigned_user_id"],
            ["id"],
        )
    op.add_column("grievances", sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("grievances", sa.Column("track_tags", sa.Text(), nullable=True))

    # The sort indexes carry the filtered columns on PostgreSQL (index-only walks).
    open_work = sa.text(
        "state IN ('received', 'screening', 'awaiting_complainant', 'assessment', 'in_remedy', 'under_review')"
    )
    op.create_index(
        "ix_grievances_queue_open",
        "grievances",
        ["next_due_at", "id"],
        unique=False,
        postgresql_where=open_work,
        sqlite_where=open_work,
        postgresql_include=FILTERED,
    )
    op.create_index(
        "ix_grievances_queue_due",
        "grievances",
        ["next_due_at", "id"],
        unique=False,
        postgresql_include=FILTERED,
    )
    op.create_index(
        "ix_grievances_queue_received",
        "grievances",
        ["received_at", "id"],
        unique=False,
        postgresql_include=FILTERED,
    )
    op.create_index(
        "ix_grievances_queue_assignee",
        "grievances",
        ["assigned_user_id", "next_due_at"],
        unique=False,
    )

    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_involvement_tracks_queue_org_due", ["organisation_id", "due_at"], unique=False
        )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "grievance_place_terms",
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["grievance_id"],
            ["grievances.id"],
            name=op.f("fk_grievance_place_terms_grievance_id_grievances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("grievance_id", "term", name=op.f("pk_grievance_place_terms")),
    )
    with op.batch_alter_table("grievance_place_terms", schema=None) as batch_op:
        batch_op.create_index(
            "ix_grievance_place_terms_term", ["term", "grievance_id"], unique=False
        )

    _backfill()


def _backfill():
    """Next deadlines and place terms of the grievances already there."""
    connection = op.get_bind()
    grievances = sa.table(
        "grievances",
        sa.column("id", sa.Integer()),
        sa.column("state", sa.String()),
        sa.column("location", sa.LargeBinary()),
        sa.column("due_at", sa.DateTime(timezone=True)),
        sa.column("overdue_at", sa.DateTime(timezone=True)),
        sa.column("feedback_due_at", sa.DateTime(timezone=True)),
        sa.column("next_due_at", sa.DateTime(timezone=True)),
        sa.column("track_tags", sa.Text()),
    )
    tracks = sa.table(
        "involvement_tracks",
        sa.column("grievance_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("state", sa.String()),
        sa.column("organisation_id", sa.Integer()),
        sa.column("due_at", sa.DateTime(timezone=True)),
        sa.column("overdue_at", sa.DateTime(timezone=True)),
        sa.column("ended_at", sa.DateTime(timezone=True)),
    )
    terms = sa.table("grievance_place_terms", sa.column("grievance_id"), sa.column("term"))
    open_tracks, tags = {}, {}
    for row in connection.execute(
        sa.select(
            tracks.c.grievance_id,
            tracks.c.kind,
            tracks.c.state,
            tracks.c.organisation_id,
            tracks.c.due_at,
            tracks.c.overdue_at,
            tracks.c.ended_at,
        )
    ):
        tags.setdefault(row.grievance_id, set()).update(
            {f"kind:{row.kind}", f"state:{row.state}", f"org:{row.organisation_id}"}
        )
        if row.ended_at is None:
            open_tracks.setdefault(row.grievance_id, []).extend([row.due_at, row.overdue_at])
    rows = connection.execute(
        sa.select(
            grievances.c.id,
            grievances.c.state,
            grievances.c.location,
            grievances.c.due_at,
            grievances.c.overdue_at,
            grievances.c.feedback_due_at,
        )
    ).all()
    ring = _keyring() if any(row.location is not None for row in rows) else None
    for row in rows:
        if row.id in tags:
            connection.execute(
                grievances.update()
                .where(grievances.c.id == row.id)
                .values(track_tags="," + ",".join(sorted(tags[row.id])) + ",")
            )
        if row.state not in ENDED_GRIEVANCE_STATES:
            dates = [row.due_at, row.overdue_at, *open_tracks.get(row.id, [])]
            if row.state in PRE_FEEDBACK_STATES:
                dates.append(row.feedback_due_at)
            known = [value for value in dates if value is not None]
            if known:
                connection.execute(
                    grievances.update()
                    .where(grievances.c.id == row.id)
                    .values(next_due_at=min(known))
                )
        if row.location is not None and ring is not None:
            from remedy.identity.place_index import place_words, term_for

            place = ring.decrypt(bytes(row.location), "grievances.location").decode("utf-8")
            found = sorted({term_for(word, ring) for word in place_words(place)})
            if found:
                connection.execute(
                    terms.insert(), [{"grievance_id": row.id, "term": term} for term in found]
                )


def _keyring():
    from flask import current_app

    return current_app.extensions["remedy.keyring"]


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite drops a column with a foreign key only by copying the table, and dropping
        # the old copy with foreign keys on would delete every row cascading from it: turn
        # them off for the copy (possible outside a transaction only: else stop, unchanged).
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
        if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("0008 downgrade: SQLite foreign keys stay on; nothing changed")
    with op.batch_alter_table("grievance_place_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_grievance_place_terms_term")

    op.drop_table("grievance_place_terms")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_occurred_at")

    with op.batch_alter_table("involvement_tracks", schema=None) as batch_op:
        batch_op.drop_index("ix_involvement_tracks_queue_org_due")

    op.drop_index("ix_grievances_queue_assignee", table_name="grievances")
    op.drop_index("ix_grievances_queue_received", table_name="grievances")
    op.drop_index("ix_grievances_queue_due", table_name="grievances")
    op.drop_index("ix_grievances_queue_open", table_name="grievances")
    op.drop_column("grievances", "track_tags")
    op.drop_column("grievances", "next_due_at")
    if bind.dialect.name != "sqlite":
        op.drop_constraint(
            op.f("fk_grievances_assigned_user_id_users"), "grievances", type_="foreignkey"
        )
        op.drop_column("grievances", "assigned_user_id")
        return
    try:
        with op.batch_alter_table("grievances", schema=None) as batch_op:
            batch_op.drop_column("assigned_user_id")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
