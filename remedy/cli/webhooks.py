"""``flask webhooks add``, ``list``, ``rotate``, ``deactivate`` and ``log``."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from remedy.accounts.organisations import find_organisation
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput, NotFound
from remedy.models.webhook import WebhookEvent
from remedy.webhooks import subscriptions as service
from remedy.webhooks.log import delivery_log

EVENTS = [event.value for event in WebhookEvent]


@click.group(help="Outbound webhooks: subscriptions of organisations, signed with a secret.")
def webhooks() -> None:
    pass


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def _show_secret(secret: str) -> None:
    click.echo("Copy the secret now; it is not shown again:")
    click.echo(secret)


@webhooks.command("add")
@click.option("--org", "org_name", required=True, help="The organisation's name.")
@click.option("--url", required=True, help="Where to post (https).")
@click.option(
    "--event",
    "events",
    multiple=True,
    type=click.Choice(EVENTS),
    help="An event to send (repeat it); default: every event.",
)
@with_appcontext
def add(org_name: str, url: str, events: tuple[str, ...]) -> None:
    """Subscribe an organisation and print its secret once."""
    organisation = find_organisation(org_name)
    if organisation is None:
        raise click.ClickException(f"No organisation named {org_name!r}.")
    try:
        issued = service.add_subscription(OPERATOR, organisation, url, events or EVENTS)
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    subscription = issued.subscription
    click.echo(
        f"Added webhook {subscription.id} for {organisation.name}: {subscription.url} "
        f"({subscription.events})."
    )
    _show_secret(issued.secret)


@webhooks.command("list")
@with_appcontext
def list_command() -> None:
    """One line per subscription: id, organisation, URL, events, state."""
    found = service.list_subscriptions()
    if not found:
        click.echo("No webhook subscriptions.")
        return
    for subscription in found:
        state = "active" if subscription.is_active else "deactivated"
        click.echo(
            f"{subscription.id}\t{subscription.organisation.name}\t{subscription.url}\t"
            f"{subscription.events}\t{state}"
        )


@webhooks.command("rotate")
@click.argument("subscription_id", type=int)
@with_appcontext
def rotate(subscription_id: int) -> None:
    """A new secret, at once, printed once: the old one signs nothing more."""
    try:
        issued = service.rotate_secret(OPERATOR, subscription_id)
    except (InvalidInput, NotFound) as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Rotated the secret of webhook {issued.subscription.id}.")
    _show_secret(issued.secret)


@webhooks.command("deactivate")
@click.argument("subscription_id", type=int)
@with_appcontext
def deactivate(subscription_id: int) -> None:
    """Send nothing more; deliveries still waiting fail unsent."""
    try:
        subscription = service.deactivate(OPERATOR, subscription_id)
    except NotFound as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Deactivated webhook {subscription.id}.")


@webhooks.command("log")
@click.argument("subscription_id", type=int)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@with_appcontext
def log(subscription_id: int, limit: int) -> None:
    """The latest deliveries and each attempt: when, HTTP status, error, outcome."""
    try:
        entries = delivery_log(service.get_subscription(subscription_id), limit)
    except NotFound as problem:
        raise click.ClickException(str(problem)) from problem
    if not entries:
        click.echo("No deliveries yet.")
    for entry in entries:
        delivery = entry.delivery
        click.echo(
            f"delivery {delivery.id}\t{delivery.event.value}\t{delivery.status.value}\t"
            f"created {_when(delivery.created_at)}\tattempts {delivery.attempts}"
        )
        for attempt in entry.attempts:
            click.echo(
                f"  attempt {attempt.attempt}\t{_when(attempt.started_at)}\t"
                f"HTTP {attempt.status_code or '-'}\t{attempt.outcome}\t{attempt.error or ''}"
            )
