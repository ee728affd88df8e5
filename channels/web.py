"""The public web channel: light pages for affected people, in every shipped language."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

bp = Blueprint("web", __name__, template_folder="templates")


@bp.route("/")
def home() -> str:
    return render_template("web/home.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
