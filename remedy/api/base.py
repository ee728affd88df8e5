"""The API blueprint: bearer-token authentication, read-only roles, body and query parsing,
and every error as problem+json. Its addresses never redirect (:class:`ApiBlueprint`).

The API uses bearer tokens only, never the console's session cookie, so it is exempt from
CSRF protection: a browser cannot be tricked into sending an Authorization header.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import Blueprint, Response, g, json, request, session
from flask.typing import RouteCallable
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException

from remedy.accounts.tokens import TokenRejected, authenticate
from remedy.api.problems import ApiProblem, problem_response
from remedy.api.version import API_VERSION
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, NotAllowed, NotFound, ServiceError
from remedy.core.extensions import limiter
from remedy.core.settings import settings
from remedy.identity.visibility import may_change
from remedy.models.api_token import ApiToken

log = logging.getLogger(__name__)


class ApiBlueprint(Blueprint):
    """A blueprint whose addresses are exact: an address with a slash added (``/x/``) or
    doubled (``/x//y``) is not found (404, problem+json) instead of redirected to the one
    meant, as Werkzeug does by default. A client would follow the redirect with its token
    to an address it never wrote, and a POST's 308 asks it to send the body again."""

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("strict_slashes", True)
        options.setdefault("merge_slashes", False)
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")

MAX_BODY_BYTES = 1024 * 1024
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.docs", "api.statistics"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_RATE_LIMIT = "300 per minute"
AUTH_CHALLENGE = 'Bearer realm="remedy"'
# The only endpoints a referral partner's token reaches (``remedy.api.referrals``); every
# other one answers it 403, whatever the case.
PARTNER_ENDPOINTS = frozenset(
    {
        "api.list_referrals",
        "api.get_referral",
        "api.get_referral_pack",
        "api.post_referral_update",
    }
)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def rate_limit_key() -> str:
    """Per token (its hash, so the key never holds the secret); per address without one."""
    secret = _bearer()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]
    return "api-address:" + (request.remote_addr or "unknown")


def rate_limit() -> str:
    return str(settings().api_rate_limit or DEFAULT_RATE_LIMIT)


limiter.limit(rate_limit, key_func=rate_limit_key)(bp)


def current_actor() -> Actor:
    actor: Actor = g.api_actor
    return actor


def current_token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


@bp.before_request
def authenticate_request() -> None:
    request.max_content_length = MAX_BODY_BYTES
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    try:
        token = authenticate(_bearer())
    except TokenRejected as rejected:
        log.info("API token rejected: %s", rejected.reason)
        raise
    g.api_token = token
    g.api_actor = Actor.for_user(token.user)
    if g.api_actor.kind is ActorKind.PARTNER and request.endpoint not in PARTNER_ENDPOINTS:
        raise NotAllowed(_("A referral partner's account reads and answers its referrals only."))
    if g.api_actor.kind is ActorKind.OVERSIGHT:
        raise NotAllowed(_("An oversight account reads the console's oversight page only."))
    if request.method not in READ_METHODS and not may_change(g.api_actor):
        raise NotAllowed(_("Your account may read cases but not change them."))


@bp.after_request
def no_cookies(response: Response) -> Response:
    """Nothing the API does needs a session; never set a cookie (a ?lang= would)."""
    session.modified = False
    response.vary.add("Authorization")
    return response


@bp.after_app_request
def api_version(response: Response) -> Response:
    """Every answer under the API's prefix says which version of the document it follows,
    a 404 for an address no route matches included."""
    if request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/"):
        response.headers["API-Version"] = API_VERSION
    return response


# Errors --------------------------------------------------------------------------------


@bp.errorhandler(TokenRejected)
def token_rejected(error: TokenRejected) -> Response:
    return problem_response(
        401,
        str(error),
        headers={"WWW-Authenticate": AUTH_CHALLENGE + ', error="invalid_token"'},
    )


@bp.errorhandler(ApiProblem)
def api_problem(error: ApiProblem) -> Response:
    return error.response()


@bp.errorhandler(ValidationError)
def validation_error(error: ValidationError) -> Response:
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return problem_response(422, _("Some fields are not valid."), errors=messages)


@bp.errorhandler(ServiceError)
def refused(error: ServiceError) -> Response:
    if isinstance(error, NotFound):
        return problem_response(404, _("Nothing by that name, or nothing your account may see."))
    if isinstance(error, ConflictError):
        return problem_response(409, None, slug=error.slug)
    errors = {error.field or "_schema": [str(error)]} if error.status == 422 else None
    return problem_response(error.status, str(error), slug=error.slug, errors=errors)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return problem_response(status, None, headers=headers)


# Input and output ----------------------------------------------------------------------


def json_response(schema: Schema, data: Any, status: int = 200, **headers: str) -> Response:
    response = Response(json.dumps(schema.dump(data)), status=status, mimetype="application/json")
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def json_body(schema: Schema) -> dict[str, Any]:
    """The request body loaded through ``schema``; an empty body counts as ``{}``."""
    has_body = (
        bool(request.content_length)
        or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )
    data: Any = {}
    if has_body:
        if not request.is_json:
            raise ApiProblem(415, headers={"Accept-Post": "application/json"})
        try:
            data = request.get_json()
        except RecursionError:
            raise ApiProblem(400, _("The JSON is nested too deeply.")) from None
    loaded: dict[str, Any] = schema.load(data)
    return loaded


def query_args(schema: Schema) -> dict[str, Any]:
    """Query parameters loaded through ``schema``: list fields take every repeated value."""
    data: dict[str, Any] = {}
    for name in request.args:
        field = schema.fields.get(name)
        values = request.args.getlist(name)
        data[name] = values if isinstance(field, fields.List) else values[-1]
    loaded: dict[str, Any] = schema.load(data)
    return loaded
