"""Subscriptions: administrators (console) and operators (CLI) add, rotate and deactivate
them. The secret is made here, shown once and kept encrypted: it signs every delivery.

Targets are ``https`` URLs; outside production (``REMEDY_ENV`` is not ``production``) a
receiver on this machine over plain ``http`` is allowed too, for development and tests.
Credentials in the URL are refused: the signature is the receiver's proof.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.organisation import Organisation
from remedy.models.types import utcnow
from remedy.models.webhook import WebhookEvent, WebhookSubscription

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
MAX_URL_LENGTH = 500
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class IssuedSecret:
    """The subscription and its secret: the only moment the secret is shown."""

    subscription: WebhookSubscription
    secret: str


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def checked_url(url: str) -> str:
    """The target URL, or InvalidInput saying what is wrong with it."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise InvalidInput(_("Enter a full web address."), "url") from None
    if len(url) > MAX_URL_LENGTH or not host or parts.scheme not in ("https", "http"):
        raise InvalidInput(_("Enter a full web address starting with https://."), "url")
    if parts.username or parts.password or parts.fragment:
        raise InvalidInput(_("The address may not hold a user name, password or #part."), "url")
    if parts.scheme == "http" and (settings().production or host not in LOCAL_HOSTS):
        raise InvalidInput(_("Webhooks are sent only over https."), "url")
    return url


def checked_events(events: Iterable[str]) -> str:
    chosen = sorted({str(event).strip() for event in events if str(event).strip()})
    known = {event.value for event in WebhookEvent}
    if not chosen or any(event not in known for event in chosen):
        raise InvalidInput(_("Choose at least one event from the list."), "events")
    return " ".join(chosen)


@transactional
def add_subscription(
    actor: Actor, organisation: Organisation, url: str, events: Iterable[str]
) -> IssuedSecret:
    secret = new_secret()
    subscription = WebhookSubscription(
        organisation_id=organisation.id,
        url=checked_url(url),
        secret=secret,
        events=checked_events(events),
        is_active=True,
    )
    db.session.add(subscription)
    db.session.flush()
    audit.record(
        actor,
        "webhook.add",
        "webhook_subscription",
        subscription.id,
        after={
            "organisation_id": organisation.id,
            "url": subscription.url,
            "events": subscription.events,
        },
    )
    return IssuedSecret(subscription, secret)


def get_subscription(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(_("No such webhook subscription."))
    return subscription


@transactional
def rotate_secret(actor: Actor, subscription_id: int) -> IssuedSecret:
    """A new secret at once: deliveries still waiting are signed with it when sent."""
    subscription = get_subscription(subscription_id)
    if not subscription.is_active:
        raise InvalidInput(_("This subscription is deactivated."), "subscription")
    secret = new_secret()
    subscription.secret = secret
    subscription.secret_rotated_at = utcnow()
    audit.record(actor, "webhook.rotate_secret", "webhook_subscription", subscription.id)
    return IssuedSecret(subscription, secret)


@transactional
def deactivate(actor: Actor, subscription_id: int) -> WebhookSubscription:
    """No new deliveries; those still waiting fail when claimed, without a request."""
    subscription = get_subscription(subscription_id)
    if subscription.is_active:
        subscription.is_active = False
        subscription.deactivated_at = utcnow()
        audit.record(
            actor,
            "webhook.deactivate",
            "webhook_subscription",
            subscription.id,
            before={"is_active": True},
            after={"is_active": False},
        )
    return subscription


def list_subscriptions(organisation: Organisation | None = None) -> list[WebhookSubscription]:
    query = select(WebhookSubscription).order_by(WebhookSubscription.id)
    if organisation is not None:
        query = query.where(WebhookSubscription.organisation_id == organisation.id)
    return list(db.session.scalars(query))
