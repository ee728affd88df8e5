"""Errors as friendly translated pages, or JSON under ``/api/``; never a bare 500."""

from __future__ import annotations

from flask import Flask, Response, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException, InternalServerError

from remedy.api.problems import problem_response
from remedy.core.errors import ConflictError, NotFound, ServiceError
from remedy.filing.grievances import MAX_ATTACHMENT_BYTES

MESSAGES = {
    400: (
        _l("Something in the request was not right"),
        _l("Please go back, check what you entered and try again."),
    ),
    403: (
        _l("You cannot open this page"),
        _l("Your account does not allow this. Ask your supervisor if you think it should."),
    ),
    404: (
        _l("Page not found"),
        _l("The page does not exist or was moved. Check the address or go to the home page."),
    ),
    405: (
        _l("This action is not possible here"),
        _l("Please go back and use the buttons on the page."),
    ),
    409: (
        _l("Someone else changed this at the same time"),
        _l("Nothing was saved. Reload the page to see the latest version, then try again."),
    ),
    # Any file a form takes (filing, later information, proof of delivery) has this limit.
    413: (
        _l("The file is too large"),
        _l(
            "Files up to %(size)d MB can be added. Please go back and send a smaller file.",
            size=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        ),
    ),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again.")),
    503: (
        _l("Remedy is paused for a moment"),
        _l("What you sent was not saved. Please try again in a minute."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Please try again in a few minutes."),
    ),
}
# While the database cannot be reached (a restart, a fail-over): how long to wait.
RETRY_AFTER_SECONDS = 30
# What a phone is told when its message or call could not be taken in.
NOT_RECEIVED_SMS = _l(
    "Sorry, we could not receive your message. Please send it again in a few minutes."
)
NOT_RECEIVED_CALL = _l(
    "Sorry, we cannot take your call right now. Please call again in a few minutes."
)
CSRF_MESSAGE = _l("The form expired or was opened in another window. Please try again.")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if _wants_json():
        # The API's own blueprint answers its errors; this covers what never reached it
        # (an unknown /api/ address, a crash): the same problem+json (remedy.api.problems).
        return problem_response(code, detail), code
    return render_template("error.html", code=code, title=title, message=detail or message), code


def unavailable() -> Response:
    """The database cannot be reached: nothing of the request was stored. People and API
    clients get 503 with Retry-After. A phone gets TwiML that says to send or call again,
    with 200, since Twilio reads TwiML only from a success; the words are in the default
    language and go straight back in the answer, as the outbox is out of reach too."""
    path = request.path
    if path.startswith("/twilio/voice"):
        call = VoiceResponse()
        call.say(str(NOT_RECEIVED_CALL))
        call.hangup()
        return Response(str(call), mimetype="application/xml")
    if path.startswith("/twilio/"):
        reply = MessagingResponse()
        reply.message(str(NOT_RECEIVED_SMS))
        return Response(str(reply), mimetype="application/xml")
    response = make_response(render_error(503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    g.retry_after = RETRY_AFTER_SECONDS  # kept by remedy.access.rate_limits over the limiter's
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        return render_error(400, str(CSRF_MESSAGE))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | HTTPException:
        if error.code is None or error.code < 400:
            return error
        response = make_response(render_error(error.code))
        # Keep what the error says beyond its body: Allow on 405, Retry-After on 429...
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError) -> tuple[Response | str, int]:
        # Not found and conflicts keep the page's own words: the first must not tell what
        # exists, the second says the same everywhere.
        detail = None if isinstance(error, NotFound | ConflictError) else str(error)
        return render_error(error.status, detail)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unreachable(error: Exception) -> Response:
        # The database is restarting or failing over: the request's transaction was not
        # committed. Logged without its SQL parameters (hide_parameters).
        app.logger.warning("database unreachable: %s", type(error).__name__)
        return unavailable()

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError) -> tuple[Response | str, int]:
        # Flask has logged the traceback; SQL parameters are hidden (hide_parameters).
        return render_error(500)
