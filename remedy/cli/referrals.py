"""``flask referrals list|add|disable|enable|link|pack``: the directory of other mechanisms,
the organisation a receiving body answers through, and a referral's export pack."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from remedy.cases.referral_pack import make_pack, render_pack
from remedy.cases.referrals import (
    ANY_COUNTRY,
    add_mechanism,
    directory,
    link_mechanism,
    set_mechanism_active,
)
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.organisation import Organisation
from remedy.models.referral import MechanismKind, Referral, ReferralMechanism


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


@referrals.command("link")
@click.argument("mechanism_id", type=int)
@click.option(
    "--organisation",
    "organisation_id",
    type=int,
    default=None,
    help="The body's organisation id; leave out to unlink.",
)
@with_appcontext
def link(mechanism_id: int, organisation_id: int | None) -> None:
    """Link mechanism ID to the organisation whose referral_partner accounts answer for it."""
    mechanism = db.session.get(ReferralMechanism, mechanism_id)
    if mechanism is None:
        raise click.ClickException(f"No mechanism with id {mechanism_id}.")
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation_id and organisation is None:
        raise click.ClickException(f"No organisation with id {organisation_id}.")
    link_mechanism(OPERATOR, mechanism, organisation)
    linked = f"to {organisation.name}" if organisation else "to no organisation"
    click.echo(f"Mechanism {mechanism.id} linked {linked}.")


@referrals.command("pack")
@click.argument("referral_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write the pack to (created if missing).",
)
@with_appcontext
def pack(referral_id: int, out: Path) -> None:
    """Write referral ID's export pack: printable HTML and JSON. Without the people's
    consent it holds no personal data. Audited."""
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        raise click.ClickException(f"No referral with id {referral_id}.")
    made = make_pack(OPERATOR, referral)
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"referral-{referral.id}-pack"
    html, data = base.with_suffix(".html"), base.with_suffix(".json")
    html.write_text(render_pack(made), encoding="utf-8")
    data.write_text(json.dumps(made, indent=2, ensure_ascii=False), encoding="utf-8")
    for path in (html, data):
        path.chmod(0o600)  # it may hold personal data
    word = "with" if made["personal_data"] else "without"
    click.echo(f"Wrote {html} and {data} ({word} personal data).")
