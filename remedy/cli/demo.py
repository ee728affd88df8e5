"""``flask demo seed``: fill an empty database with demo data (see remedy/demo/seed.py)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from remedy.core.errors import ServiceError
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.demo.report import DemoReport
from remedy.demo.seed import demo_refusal, seed_demo


@click.group(help="Demo data for trying Remedy out; never for a real mechanism.")
def demo() -> None:
    pass


@demo.command("seed")
@click.option(
    "--allow-production",
    is_flag=True,
    help="Seed even though REMEDY_ENV=production (a public demo server).",
)
@with_appcontext
def seed(allow_production: bool) -> None:
    """Add fictional organisations, accounts, referral mechanisms and grievances in every
    state of every workflow to a database that has no grievances yet. Prints the accounts'
    passwords once. Demo accounts go beside any already there: use a database of its own
    (DATABASE_URL) to keep a real mechanism apart."""
    if settings().production and not allow_production:
        raise click.ClickException(
            "REMEDY_ENV=production: demo data would mix with real cases. "
            "Use --allow-production only for a server that is a demo."
        )
    refusal = demo_refusal()
    if refusal is not None:
        raise click.ClickException(refusal)
    click.echo("Seeding DEMO data (fictional people, companies and cases)...")
    started = time.monotonic()
    try:
        report = seed_demo(progress=lambda line: click.echo(f"  {line}"))
    except ServiceError as problem:
        raise click.ClickException(str(problem)) from problem
    _print(report)
    click.echo(f"Done in {time.monotonic() - started:.0f} s.")


def _print(report: DemoReport) -> None:
    countries = ", ".join(dict.fromkeys(mechanism.country for mechanism in report.mechanisms))
    click.echo("")
    click.echo("Organisations:")
    for organisation in report.organisations:
        country = f", {organisation.country}" if organisation.country else ""
        vetted = ", vetted" if organisation.is_vetted else ""
        click.echo(f"  {organisation.name} ({organisation.kind.value}{country}{vetted})")
    click.echo(
        f"Referral mechanisms: {len(report.mechanisms)} in {countries}, beside the courts open "
        "to every country (`flask --app wsgi referrals list`)."
    )
    click.echo("")
    click.echo("Accounts (shown once; the second factor, TOTP, is enrolled at first sign-in):")
    width = max(len(account.email) for account in report.accounts)
    for account in report.accounts:
        where = f"  ({account.organisation})" if account.organisation else ""
        click.echo(
            f"  {account.role.value:<18}  {account.email:<{width}}  {account.password}{where}"
        )
    click.echo("")
    click.echo("Grievances: reference, PIN (to follow a case as the complainant), state, tracks:")
    for case in report.cases:
        tracks = ", ".join(
            f"{track.organisation}: {track.kind.value} {track.state}" for track in case.tracks
        )
        click.echo(
            f"  {display(case.reference)}  {case.pin}  {case.state:<20}  "
            f"{case.language} {case.channel.value:<8}  {case.title}"
        )
        if tracks:
            click.echo(f"  {'':<9}  {'':<6}  tracks: {tracks}")
