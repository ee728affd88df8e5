"""``flask audit verify``: walk the hash chain and name the first bad event."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.audit.log import anchored, verify_chain


@click.group(help="The tamper-evident audit log.")
def audit() -> None:
    pass


@audit.command("verify")
@click.option(
    "--head",
    "anchor",
    default=None,
    help="A head hash printed by an earlier run and kept elsewhere: it must still be in the chain.",
)
@with_appcontext
def verify(anchor: str | None) -> None:
    """Exit 0 when the chain is intact, 1 naming the first bad event otherwise."""
    report = verify_chain()
    if report.ok and anchor is not None and not anchored(anchor.strip().lower()):
        click.echo(
            f"Audit log REWRITTEN: no event has the hash {anchor}, kept from an earlier run. "
            "The chain verifies on its own, so it was rebuilt or cut before that point.",
            err=True,
        )
        raise SystemExit(1)
    if report.ok:
        click.echo(f"Audit log intact: {report.events} events; head hash {report.head_hash}.")
        click.echo("Keep the head hash somewhere else to detect a rewrite of the whole chain.")
        return
    click.echo(f"Audit log BROKEN at event {report.first_bad_seq}: {report.problem}.", err=True)
    click.echo(f"{report.events} events before it verify.", err=True)
    raise SystemExit(1)
