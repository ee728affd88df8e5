"""``flask referrals list|add|disable|enable``: the directory of other mechanisms."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.cases.referrals import ANY_COUNTRY, add_mechanism, directory, set_mechanism_active
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.referral import MechanismKind, ReferralMechanism


@click.group(help="The directory of mechanisms complainants can be referred to, per country.")
def referrals() -> None:
    pass


def _line(mechanism: ReferralMechanism) -> str:
    country = "any" if mechanism.country == ANY_COUNTRY else mechanism.country
    line = f"{mechanism.id:>4}  {country:<3}  {mechanism.kind.value:<33}  {mechanism.name}"
    if mechanism.contact:
        line += f" ({mechanism.contact})"
    if not mechanism.active:
        line += "  [disabled]"
    return line


@referrals.command("list")
@click.option("--country", default=None, help="ISO 3166 two-letter code, such as KE.")
@click.option("--all", "include_disabled", is_flag=True, help="Show disabled mechanisms too.")
@with_appcontext
def list_mechanisms(country: str | None, include_disabled: bool) -> None:
    """List the mechanisms (for one country: its own and those open to every country)."""
    found = directory(country, include_inactive=include_disabled)
    if not found:
        click.echo(
            "No mechanisms in the directory" + (f" for {country.upper()}." if country else ".")
        )
        return
    click.echo(f"{'id':>4}  {'cc':<3}  {'kind':<33}  name (contact)")
    for mechanism in found:
        click.echo(_line(mechanism))


@referrals.command("add")
@click.argument("name")
@click.option("--country", required=True, help="ISO 3166 two-letter code, such as KE.")
@click.option("--kind", type=click.Choice([kind.value for kind in MechanismKind]), required=True)
@click.option("--contact", default=None, help="How to reach it: address, phone, web page.")
@with_appcontext
def add(name: str, country: str, kind: str, contact: str | None) -> None:
    """Add mechanism NAME to the directory."""
    try:
        mechanism = add_mechanism(OPERATOR, country, MechanismKind(kind), name, contact)
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Added mechanism {mechanism.id}: {_line(mechanism).strip()}")


def _set_active(mechanism_id: int, active: bool) -> None:
    mechanism = db.session.get(ReferralMechanism, mechanism_id)
    if mechanism is None:
        raise click.ClickException(f"No mechanism with id {mechanism_id}.")
    word = "enabled" if active else "disabled"
    if mechanism.active is active:
        click.echo(f"Mechanism {mechanism.id} was already {word}.")
        return
    set_mechanism_active(OPERATOR, mechanism, active)
    click.echo(f"Mechanism {mechanism.id} {word}: {mechanism.name}.")


@referrals.command("disable")
@click.argument("mechanism_id", type=int)
@with_appcontext
def disable(mechanism_id: int) -> None:
    """Stop offering mechanism ID; past referrals to it stay on record."""
    _set_active(mechanism_id, False)


@referrals.command("enable")
@click.argument("mechanism_id", type=int)
@with_appcontext
def enable(mechanism_id: int) -> None:
    """Offer mechanism ID again."""
    _set_active(mechanism_id, True)
