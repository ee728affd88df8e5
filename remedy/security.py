"""Response headers that hold on every page: CSP without inline script, no framing, no caching
of anything that may show personal data, and in production HTTPS only (HSTS)."""

from __future__ import annotations

from flask import Flask, Response, request

from remedy.core.settings import settings

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# A year, subdomains included: browsers never again try plain HTTP for this site. Only in
# production, where the site is served over HTTPS (a laptop on http://127.0.0.1 is not).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=()")
    if settings().production:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if request.endpoint != "static":
        # Pages may show personal data: never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
