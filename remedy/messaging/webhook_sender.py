"""Posting one webhook delivery: the signature, the request, and what the answer means.

Signature (docs/webhooks.md): ``X-Remedy-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<X-Remedy-Timestamp>.<raw body>`` keyed with the subscription's secret. The timestamp
(Unix seconds) is signed with the body, so a receiver that refuses old timestamps
refuses replays.

Outcomes: any 2xx is delivered. Network errors, timeouts, 408, 429 and 5xx may pass
later: retry. Anything else (other 4xx, and 3xx: redirects are never followed, so a
signed body never lands somewhere the administrator did not choose) fails at once.
Only the standard library (``urllib``) is used; proxies from the environment are not.
Nothing here touches the database.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

EVENT_HEADER = "X-Remedy-Event"
DELIVERY_HEADER = "X-Remedy-Delivery"
TIMESTAMP_HEADER = "X-Remedy-Timestamp"
SIGNATURE_HEADER = "X-Remedy-Signature"
USER_AGENT = "Remedy-Webhooks/1"
RETRYABLE_STATUSES = frozenset({408, 429})


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Posted:
    """What one attempt came to; ``error`` holds fixed words, never the receiver's text."""

    outcome: Outcome
    status_code: int | None = None
    error: str | None = None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Remedy-Signature`` value for this body at this time."""
    signed = timestamp.encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(
    secret: str, event: str, delivery_id: int, timestamp: int, body: bytes
) -> dict[str, str]:
    stamp = str(timestamp)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature(secret, stamp, body),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is raised as an HTTPError: a permanent failure


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def outcome_of(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status in RETRYABLE_STATUSES or status >= 500:
        return Outcome.RETRY
    return Outcome.FAILED


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Posted:
    """POST ``body`` once; never raises for what the network or the receiver did."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = int(error.code)
        error.close()
    except TimeoutError:
        return Posted(Outcome.RETRY, error="timeout")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Posted(Outcome.RETRY, error="timeout")
        return Posted(Outcome.RETRY, error=f"network error: {type(error.reason).__name__}")
    except OSError as error:
        return Posted(Outcome.RETRY, error=f"network error: {type(error).__name__}")
    outcome = outcome_of(status)
    if outcome is Outcome.DELIVERED:
        return Posted(outcome, status)
    words = "redirect not followed" if 300 <= status < 400 else "refused"
    return Posted(outcome, status, f"HTTP {status}: {words}")
