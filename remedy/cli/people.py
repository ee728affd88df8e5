"""``flask people export``: what is held about the people of a case, for their request."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from remedy.core.actors import OPERATOR
from remedy.core.errors import NotFound
from remedy.identity.export import export_people


@click.group(help="The people of a case: subject access requests.")
def people() -> None:
    pass


@people.command("export")
@click.option("--reference", required=True, help="The case's reference, as the person gave it.")
@with_appcontext
def export(reference: str) -> None:
    """Print as JSON everything held about the case's people (the export is audited)."""
    try:
        data = export_people(OPERATOR, reference)
    except NotFound as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
