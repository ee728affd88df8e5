"""``flask audit verify``: walk the hash chain and name the first bad event."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.services.audit import verify_chain


@click.group(help="The tamper-evident audit log.")
def audit() -> None:
    pass


@audit.command("verify")
@with_appcontext
def verify() -> None:
    """Exit 0 when the chain is intact, 1 naming the first bad event otherwise."""
    report = verify_chain()
    if report.ok:
        click.echo(f"Audit log intact: {report.events} events; head hash {report.head_hash}.")
        click.echo("Keep the head hash somewhere else to detect a rewrite of the whole chain.")
        return
    click.echo(f"Audit log BROKEN at event {report.first_bad_seq}: {report.problem}.", err=True)
    click.echo(f"{report.events} events before it verify.", err=True)
    raise SystemExit(1)
