"""``flask retention run``: erase the personal data of cases past retention."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.identity.retention import due_references, policy, run_retention


@click.group(help="How long personal data is kept after a case ends.")
def retention() -> None:
    pass


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="List the cases that would be erased; erase none.")
@with_appcontext
def run(dry_run: bool) -> None:
    """Erase cases past REMEDY_RETENTION_DAYS (the worker does it daily too)."""
    chosen = policy()
    named = ", ".join(f"{o.value} {d}" for o, d in chosen.by_outcome.items())
    click.echo(
        f"Keeping personal data {chosen.default_days} days after a case ends"
        + (f" ({named})." if named else ".")
    )
    if dry_run:
        due = due_references()
        for reference in due:
            click.echo(f"would erase {reference}")
        click.echo(f"{len(due)} cases past retention; nothing erased (--dry-run).")
        db.session.rollback()
        return
    done = run_retention(OPERATOR)
    for erasure in done:
        click.echo(
            f"erased {erasure.reference}: {erasure.people_erased} people erased, "
            f"{erasure.people_kept} kept for other cases"
        )
    click.echo(f"{len(done)} cases erased.")
