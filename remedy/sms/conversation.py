"""Kept only for ``remedy.messaging.worker``, which imports ``periodic`` from here.

The SMS conversation now lives in :mod:`remedy.sms.receiving` and the modules it
names; the periodic upkeep is :func:`remedy.sms.upkeep.periodic`. Delete this module
once the worker imports it from there.
"""

from __future__ import annotations

from remedy.sms.upkeep import periodic

__all__ = ["periodic"]
