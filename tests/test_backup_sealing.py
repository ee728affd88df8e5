"""The backup file's encryption: what was sealed comes back whole, and only whole.

Chunks are authenticated one by one, in order, the last one marked: reordering,
dropping, or cutting them off fails instead of giving back part of a backup."""

from __future__ import annotations

import io
import struct

import pytest

from remedy.core import sealing
from remedy.core.sealing import (
    HEADER_LENGTH,
    BackupKey,
    InvalidBackupKey,
    SealedFileError,
    SealedReader,
    SealedWriter,
    generate_backup_key,
)

KEY = BackupKey.from_text(generate_backup_key())
LENGTH = struct.Struct(">I")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many chunks from a few bytes, so order and ends can be tampered with."""
    monkeypatch.setattr(sealing, "CHUNK_SIZE", 64)


def seal(data: bytes, key: BackupKey = KEY) -> bytes:
    target = io.BytesIO()
    writer = SealedWriter(target, key)
    for start in range(0, len(data), 50):
        writer.write(data[start : start + 50])
    writer.close()
    return target.getvalue()


def open_sealed(blob: bytes, key: BackupKey = KEY) -> bytes:
    reader = SealedReader(io.BytesIO(blob), key)
    data = reader.read(100) + reader.read()
    reader.finish()
    return data


def chunks(blob: bytes) -> list[bytes]:
    found, position = [], HEADER_LENGTH
    while position < len(blob):
        (length,) = LENGTH.unpack(blob[position : position + 4])
        found.append(blob[position : position + 4 + length])
        position += 4 + length
    return found


DATA = bytes(range(256)) * 3


@pytest.mark.parametrize("size", [0, 1, 64, 65, len(DATA)])
def test_what_is_sealed_comes_back(size: int) -> None:
    assert open_sealed(seal(DATA[:size])) == DATA[:size]


def test_each_file_has_its_own_salt() -> None:
    assert seal(DATA)[HEADER_LENGTH:] != seal(DATA)[HEADER_LENGTH:]


def test_swapped_chunks_fail() -> None:
    blob = seal(DATA)
    parts = chunks(blob)
    swapped = blob[:HEADER_LENGTH] + parts[1] + parts[0] + b"".join(parts[2:])

    with pytest.raises(SealedFileError, match="chunk 0 fails authentication"):
        open_sealed(swapped)


def test_a_file_cut_at_a_chunk_boundary_fails() -> None:
    blob = seal(DATA)
    parts = chunks(blob)
    cut = blob[:HEADER_LENGTH] + b"".join(parts[:-1])

    with pytest.raises(SealedFileError, match="cut short"):
        open_sealed(cut)


def test_a_header_changed_fails() -> None:
    blob = bytearray(seal(DATA))
    blob[HEADER_LENGTH - 1] ^= 0x80  # the salt: another file key, and the header is bound in

    with pytest.raises(SealedFileError, match="fails authentication"):
        open_sealed(bytes(blob))


def test_another_key_is_named() -> None:
    other = BackupKey.from_text(generate_backup_key())

    with pytest.raises(SealedFileError, match=other.name):
        open_sealed(seal(DATA), other)


@pytest.mark.parametrize("text", ["", "short", "not base64 at all!", "QUJD" * 20])
def test_a_malformed_key_is_refused(text: str) -> None:
    with pytest.raises(InvalidBackupKey, match="32 bytes"):
        BackupKey.from_text(text)
