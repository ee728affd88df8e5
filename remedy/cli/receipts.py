"""``flask receipts verify REFERENCE CODE``: is this paper receipt a real filing?"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from remedy.core.references import display
from remedy.filing.receipts import verify_receipt


@click.group(help="Receipts people printed when they filed on the web.")
def receipts() -> None:
    pass


@receipts.command("verify")
@click.argument("reference")
@click.argument("code")
@with_appcontext
def verify(reference: str, code: str) -> None:
    """Check a receipt's verification code against its case number; exit 1 if it does not match."""
    grievance = verify_receipt(reference, code)
    if grievance is None:
        click.echo("Not verified: no filing has this case number with this code.", err=True)
        sys.exit(1)
    received = grievance.received_at.replace(microsecond=0).isoformat()
    click.echo(f"Verified: case {display(grievance.reference)} was filed at {received}.")
