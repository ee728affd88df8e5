"""Entry point for gunicorn and ``flask --app wsgi``."""

from remedy import create_app

app = create_app()
