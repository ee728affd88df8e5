"""Sign-in (password, then TOTP; enrolment on first sign-in), sign-out, first-run set-up."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from remedy.accounts import lifecycle
from remedy.accounts import users as accounts
from remedy.auth.forms import ChangePasswordForm, CodeForm, EmptyForm, FirstAdminForm, SignInForm
from remedy.auth.sessions import (
    PENDING_KEY,
    end_session,
    pending_user,
    remember_pending,
    start_session,
)
from remedy.core.errors import InvalidInput
from remedy.core.extensions import limiter
from remedy.core.settings import settings
from remedy.models.user import Role

bp = Blueprint("auth", __name__)
# The key of a set-up link after a second-factor reset, until the session starts.
ENROLMENT_LINK_KEY = "enrolment_link"


def _sign_in_limit() -> str:
    return str(settings().sign_in_rate_limit)


def _safe_next(default: str) -> str:
    """Only local paths: an open redirect would help phishing."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    # isprintable: a line break in the Location header would end in a 500.
    if (
        target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and not parts.netloc
    ):
        return target
    return default


def _home_for(role: Role) -> str:
    if role.is_staff:
        return url_for("console.home")
    if role is Role.OVERSIGHT:
        return url_for("console.oversight")
    # Proxy members land on their portal when that channel is switched on.
    if "proxy.dashboard" in current_app.view_functions:
        return url_for("proxy.dashboard")
    return url_for("auth.account")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in() -> Response | str:
    if current_user.is_authenticated:
        return redirect(_home_for(current_user.role))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = accounts.check_password(form.email.data, form.password.data)
        except accounts.SignInFailed as failure:
            flash(str(failure), "error")
        else:
            remember_pending(user)
            step = "auth.second_factor" if user.has_second_factor else "auth.enrol"
            return redirect(
                url_for(step, next=_safe_next("")) if request.args.get("next") else url_for(step)
            )
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def second_factor() -> Response | str:
    user = pending_user()
    if user is None or not user.has_second_factor:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            accounts.check_second_factor(user, form.code.data)
        except accounts.SignInFailed as failure:
            flash(str(failure), "error")
        else:
            start_session(user)
            return redirect(_safe_next(_home_for(user.role)))
    return render_template("auth/second_factor.html", form=form)


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def enrol() -> Response | str:
    """First sign-in: scan the QR code (or type the key), then prove it with a code."""
    user = pending_user()
    if user is None or user.has_second_factor:
        return redirect(url_for("auth.sign_in"))
    if not lifecycle.may_enrol(user, session.get(ENROLMENT_LINK_KEY)):
        flash(
            _(
                "Your second factor was reset. Open the set-up link your administrator "
                "gave you, then sign in again."
            ),
            "error",
        )
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            accounts.complete_enrolment(user, form.code.data)
        except accounts.SignInFailed as failure:
            flash(str(failure), "error")
        else:
            start_session(user)
            flash(
                _("Your authenticator app is set up. You will need it at every sign-in."), "success"
            )
            return redirect(_safe_next(_home_for(user.role)))
    # The same secret until enrolment completes: reloading must not void a scanned code.
    secret = user.totp_secret or accounts.begin_enrolment(user)
    uri = accounts.provisioning_uri(user)
    # A viewBox and no fixed size, so the stylesheet can size the code for the screen.
    qr_svg = segno.make(uri, error="m").svg_inline(dark="#000", light="#fff", omitsize=True)
    spaced_secret = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/enrol.html", form=form, qr_svg=qr_svg, secret=spaced_secret)


@bp.route("/sign-in/enrol/<key>")
def enrolment_link(key: str) -> Response:
    """The link an admin hands over after resetting a second factor: kept for the
    enrolment step, which it unlocks once the password is right."""
    if len(key) > lifecycle.MAX_KEY_LENGTH:
        abort(404)
    session[ENROLMENT_LINK_KEY] = key
    flash(_("Sign in with your password; then set up your authenticator app again."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        end_session()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET"])
@login_required
def account() -> str:
    return render_template(
        "auth/account.html", password_form=ChangePasswordForm(), button=EmptyForm()
    )


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except InvalidInput as problem:
            flash(str(problem), "error")
        else:
            # The account itself, not the current_user proxy: Flask-Login would cache the
            # proxy as the user, and the next look-up of current_user would recurse forever.
            start_session(current_user._get_current_object())
            flash(_("Your password is changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", password_form=form, button=EmptyForm()), 400


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere() -> Response:
    if EmptyForm().validate_on_submit():
        accounts.sign_out_everywhere(current_user)
        end_session()
        flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def first_admin(token: str) -> Response | str:
    if len(token) > 100 or not accounts.first_admin_token_is_valid(token):
        abort(404)
    form = FirstAdminForm()
    if form.validate_on_submit():
        try:
            accounts.create_first_admin(token, form.email.data, form.password.data)
        except InvalidInput as problem:
            flash(str(problem), "error")
        else:
            session.pop(PENDING_KEY, None)
            flash(
                _("The administrator account is ready. Sign in to set up your second factor."),
                "success",
            )
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/first_admin.html", form=form)
