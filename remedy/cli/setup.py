"""``flask setup-link``: print the one-time link that creates the first administrator."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from remedy.accounts.users import admin_exists, first_admin_token


def setup_url() -> str:
    return f"{current_app.config['REMEDY_PUBLIC_URL']}/setup/{first_admin_token()}"


@click.command("setup-link")
@with_appcontext
def setup_link() -> None:
    """Shows the set-up link while no administrator exists; says so otherwise."""
    if admin_exists():
        click.echo("An administrator exists; the set-up link is closed.")
        return
    click.echo("")
    click.echo("No administrator yet. Open this link once to create the first one:")
    click.echo(f"    {setup_url()}")
    click.echo("")
