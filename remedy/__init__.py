"""Remedy: a grievance and remedy mechanism that follows the UN Guiding Principles."""

from remedy.app import create_app

__all__ = ["create_app"]
