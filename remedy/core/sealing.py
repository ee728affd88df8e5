"""The backup file's encryption: AES-256-GCM in 1 MiB chunks, under the backup key.

A file is ``header | chunk...``. The header is ``magic | format version | backup key id
(8 bytes) | salt (16 bytes)``; each file's own key is derived from the backup key and the
salt (HKDF-SHA256), so no two files share a key and nonces can simply count. Each chunk
is ``length (4 bytes) | ciphertext+tag``, its nonce the chunk's number and a last-chunk
flag, the header its associated data (the STREAM construction): a chunk altered, moved,
dropped, or a file cut short fails authentication instead of restoring part of a backup.
Streaming keeps memory flat whatever the database's size. Backups (``remedy.backup``)
use it; it lives here with the other owners of ``cryptography``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"REMEDY-BACKUP\x00"
FORMAT_VERSION = 1
KEY_ID_LENGTH = 8
SALT_LENGTH = 16
HEADER_LENGTH = len(MAGIC) + 1 + KEY_ID_LENGTH + SALT_LENGTH
CHUNK_SIZE = 1 << 20
TAG_LENGTH = 16
LENGTH = struct.Struct(">I")


class SealedFileError(ValueError):
    """A sealed file cannot be trusted: not one, damaged, cut short, or another key's."""


class InvalidBackupKey(ValueError):
    """A configured backup key is malformed."""


def generate_backup_key() -> str:
    """A new random 256-bit backup key, printable (URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


@dataclass(frozen=True)
class BackupKey:
    """The key backups are sealed under, and its id (printed, and written in each file)."""

    key_id: bytes
    secret: bytes = field(repr=False)

    @classmethod
    def from_text(cls, text: str) -> BackupKey:
        try:
            raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            raise InvalidBackupKey(
                "The backup key must be 32 bytes in URL-safe base64: make one with "
                "`flask --app wsgi backup key new`."
            )
        return cls(hashlib.sha256(b"remedy backup key id" + raw).digest()[:KEY_ID_LENGTH], raw)

    @property
    def name(self) -> str:
        return self.key_id.hex()

    def file_key(self, salt: bytes) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=salt, info=b"remedy/backup/v1"
        ).derive(self.secret)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter:
    """A write-only file object that seals what is written to it, chunk by chunk."""

    def __init__(self, target: BinaryIO, key: BackupKey) -> None:
        salt = os.urandom(SALT_LENGTH)
        self._header = MAGIC + bytes([FORMAT_VERSION]) + key.key_id + salt
        self._aead = AESGCM(key.file_key(salt))
        self._target = target
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        target.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, chunk: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), chunk, self._header)
        self._target.write(LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        """Seal the rest as the last chunk (possibly empty): without it, a reader knows
        the file was cut short."""
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


def read_key_id(source: BinaryIO) -> tuple[bytes, bytes]:
    """The header and the id of the key a file was sealed under; the file's format checked."""
    header = source.read(HEADER_LENGTH)
    if len(header) < HEADER_LENGTH or not header.startswith(MAGIC):
        raise SealedFileError(
            "This is not a Remedy backup file (its first bytes are not a backup's)."
        )
    version = header[len(MAGIC)]
    if version != FORMAT_VERSION:
        raise SealedFileError(
            f"This backup has format version {version}; this version of Remedy reads "
            f"version {FORMAT_VERSION}."
        )
    start = len(MAGIC) + 1
    return header, header[start : start + KEY_ID_LENGTH]


class SealedReader:
    """A read-only file object that gives back what a ``SealedWriter`` sealed, each chunk
    authenticated before any of its bytes are returned."""

    def __init__(self, source: BinaryIO, key: BackupKey) -> None:
        self._header, key_id = read_key_id(source)
        if key_id != key.key_id:
            raise SealedFileError(
                f"This backup was sealed under backup key {key_id.hex()}; the configured "
                f"backup key is {key.name}. Set the backup key it was made with."
            )
        salt = self._header[len(MAGIC) + 1 + KEY_ID_LENGTH :]
        self._aead = AESGCM(key.file_key(salt))
        self._source = source
        self._buffer = bytearray()
        self._counter = 0
        self._finished = False

    def _next_chunk(self) -> None:
        prefix = self._source.read(LENGTH.size)
        if len(prefix) < LENGTH.size:
            raise SealedFileError("The backup file is cut short: its last part is missing.")
        (length,) = LENGTH.unpack(prefix)
        if length < TAG_LENGTH or length > CHUNK_SIZE + TAG_LENGTH:
            raise SealedFileError(f"The backup file is damaged (chunk {self._counter}).")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise SealedFileError("The backup file is cut short: its last part is missing.")
        for last in (False, True):
            try:
                chunk = self._aead.decrypt(_nonce(self._counter, last), sealed, self._header)
            except InvalidTag:
                continue
            self._buffer += chunk
            self._counter += 1
            self._finished = last
            return
        raise SealedFileError(
            f"The backup file is damaged or was altered (chunk {self._counter} fails "
            "authentication)."
        )

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._buffer) < size):
            self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def finish(self) -> None:
        """Read to the end: the last chunk must be there, and nothing after it."""
        while not self._finished:
            self._next_chunk()
        if self._source.read(1):
            raise SealedFileError("The backup file has bytes after its last part: it was altered.")
