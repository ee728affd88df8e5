"""``flask keys generate`` and ``flask keys rotate``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.core.crypto import generate_key
from remedy.identity.key_rotation import rotate_keys


@click.group(help="Encryption keys for personal data at rest.")
def keys() -> None:
    pass


@keys.command("generate")
def generate() -> None:
    """Print a new random key for REMEDY_ENCRYPTION_KEY."""
    click.echo(generate_key())


@keys.command("rotate")
@with_appcontext
def rotate() -> None:
    """Re-encrypt every value under the current key.

    Set the new key in REMEDY_ENCRYPTION_KEY and the old one in
    REMEDY_ENCRYPTION_OLD_KEYS, run this, then remove the old key.
    """
    report = rotate_keys()
    click.echo(
        f"Re-encrypted {report.values_reencrypted} values and renewed "
        f"{report.phone_hashes_renewed} phone look-up hashes and the search terms of "
        f"{report.place_terms_renewed} places under key {report.key_id}. "
        "The old key can now be removed from REMEDY_ENCRYPTION_OLD_KEYS."
    )
