"""Personal data at rest: authenticated encryption and keyed look-up hashes.

Every encrypted value is stored as ``version | key id | nonce | ciphertext+tag``
(AES-256-GCM). The key id lets ``flask keys rotate`` find and re-encrypt values
written under an older key; the column name is bound in as associated data, so
a ciphertext copied into another column does not decrypt.

A person's or a case's personal values may instead be sealed under a subject key of its
own (``SubjectKey``: ``subject version | 16-byte key id | nonce | ciphertext+tag``), kept
wrapped under the master key in ``data_keys``. Destroying that key erases every value
sealed under it at once, wherever the value lies (crypto-shredding); the different
version byte keeps subject key ids apart from master key ids.

Phone numbers are also stored as an HMAC under a key derived from the same
secret, so a person can be found by number without decrypting every row.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = b"\x01"
SUBJECT_FORMAT_VERSION = b"\x02"
KEY_ID_LENGTH = 4
SUBJECT_KEY_ID_LENGTH = 16
NONCE_LENGTH = 12
TAG_LENGTH = 16


class InvalidKeyError(ValueError):
    """A configured key is malformed."""


class DecryptionError(ValueError):
    """A stored value could not be authenticated with any known key."""


def generate_key() -> str:
    """A new random 256-bit key, printable, for ``REMEDY_ENCRYPTION_KEY``."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise InvalidKeyError("an encryption key must be 32 bytes in URL-safe base64") from exc
    if len(raw) != 32:
        raise InvalidKeyError("an encryption key must be 32 bytes in URL-safe base64")
    return raw


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@dataclass(frozen=True)
class DataKey:
    """One master key and the sub-keys derived from it."""

    key_id: bytes
    encryption_key: bytes = field(repr=False)
    lookup_key: bytes = field(repr=False)

    @classmethod
    def from_text(cls, text: str) -> DataKey:
        master = _decode_key(text)
        return cls(
            key_id=hashlib.sha256(b"remedy key id" + master).digest()[:KEY_ID_LENGTH],
            encryption_key=_derive(master, b"remedy/encryption/v1"),
            lookup_key=_derive(master, b"remedy/lookup/v1"),
        )


class Keyring:
    """The current key (encrypts) and older keys (still decrypt until rotated away)."""

    def __init__(self, current: str, old: str = "") -> None:
        self.current = DataKey.from_text(current)
        olds = [DataKey.from_text(part) for part in old.split(",") if part.strip()]
        self._by_id = {key.key_id: key for key in [*olds, self.current]}

    @property
    def keys(self) -> list[DataKey]:
        return list(self._by_id.values())

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_LENGTH)
        sealed = AESGCM(self.current.encryption_key).encrypt(nonce, plaintext, context.encode())
        return FORMAT_VERSION + self.current.key_id + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> bytes:
        if len(blob) < 1 + KEY_ID_LENGTH + NONCE_LENGTH + 16 or blob[:1] != FORMAT_VERSION:
            raise DecryptionError("not a Remedy ciphertext")
        key_id = blob[1 : 1 + KEY_ID_LENGTH]
        key = self._by_id.get(key_id)
        if key is None:
            raise DecryptionError(
                f"written under key id {key_id.hex()}, which is not configured; "
                "add the old key to REMEDY_ENCRYPTION_OLD_KEYS"
            )
        nonce = blob[1 + KEY_ID_LENGTH : 1 + KEY_ID_LENGTH + NONCE_LENGTH]
        try:
            return AESGCM(key.encryption_key).decrypt(
                nonce, blob[1 + KEY_ID_LENGTH + NONCE_LENGTH :], context.encode()
            )
        except InvalidTag as exc:
            raise DecryptionError("ciphertext failed authentication") from exc

    @staticmethod
    def key_id_of(blob: bytes) -> bytes:
        return blob[1 : 1 + KEY_ID_LENGTH]

    @staticmethod
    def is_master_blob(blob: bytes) -> bool:
        return blob[:1] == FORMAT_VERSION

    def lookup_hash(self, value: str, key: DataKey | None = None) -> str:
        """Keyed hash of a normalised value (an E.164 number) for equality look-ups."""
        used = key or self.current
        return hmac.new(used.lookup_key, value.encode(), hashlib.sha256).hexdigest()

    def lookup_hashes(self, value: str) -> list[str]:
        """The value's hash under every known key: finds rows not yet rotated."""
        return [self.lookup_hash(value, key) for key in self.keys]


@dataclass(frozen=True)
class SubjectKey:
    """The random key of one person or one case: destroyed, their values are gone."""

    key_id: bytes
    secret: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> SubjectKey:
        return cls(os.urandom(SUBJECT_KEY_ID_LENGTH), os.urandom(32))

    @property
    def name(self) -> str:
        """The key id as stored in ``data_keys.id``."""
        return self.key_id.hex()

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_LENGTH)
        sealed = AESGCM(self.secret).encrypt(nonce, plaintext, context.encode())
        return SUBJECT_FORMAT_VERSION + self.key_id + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> bytes:
        if subject_key_id_of(blob) != self.key_id:
            raise DecryptionError("not sealed under this subject key")
        start = 1 + SUBJECT_KEY_ID_LENGTH
        try:
            return AESGCM(self.secret).decrypt(
                blob[start : start + NONCE_LENGTH], blob[start + NONCE_LENGTH :], context.encode()
            )
        except InvalidTag as exc:
            raise DecryptionError("ciphertext failed authentication") from exc


def subject_key_id_of(blob: bytes) -> bytes | None:
    """The subject key a value was sealed under; None for a value under the master key."""
    if blob[:1] != SUBJECT_FORMAT_VERSION or len(blob) < 1 + SUBJECT_KEY_ID_LENGTH:
        return None
    return blob[1 : 1 + SUBJECT_KEY_ID_LENGTH]


def tombstone(key_id: bytes) -> bytes:
    """A value that names a subject key but holds nothing: what erasure leaves in a
    column that may not be empty. It reads as erased, without a key."""
    return SUBJECT_FORMAT_VERSION + key_id + bytes(NONCE_LENGTH + TAG_LENGTH)


def is_tombstone(blob: bytes) -> bool:
    return len(blob) == 1 + SUBJECT_KEY_ID_LENGTH + NONCE_LENGTH + TAG_LENGTH and not any(
        blob[1 + SUBJECT_KEY_ID_LENGTH :]
    )
