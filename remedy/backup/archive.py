"""What a backup file holds once opened: a tar of a manifest and its parts.

Not compressed: what takes room (encrypted columns, attachments that are photos and
recordings) does not compress, pg_dump compresses its own format, and gzip cost ten
times the encryption's time per megabyte when measured (5 against 75 MB/s).

The manifest comes first and names every part with its size and SHA-256; reading checks
each part against it as it streams past, and refuses a member the manifest does not name,
a name that would leave the folder it is extracted into, or anything but a regular file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from remedy.backup.problems import BadBackup, UsageProblem
from remedy.core.sealing import BackupKey, SealedFileError, SealedReader, SealedWriter

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "remedy-backup"
MANIFEST_VERSION = 1
READ_SIZE = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(READ_SIZE), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_parts(staging: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Each part's size and SHA-256, for the manifest."""
    return {
        name: {"size": (staging / name).stat().st_size, "sha256": sha256_of(staging / name)}
        for name in names
    }


def write_archive(target: Path, key: BackupKey, manifest: dict[str, Any], staging: Path) -> None:
    """Seal the manifest and its parts (files in ``staging``) into ``target``, atomically:
    a half-written backup never takes the final name."""
    partial = target.with_name(target.name + ".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageProblem(
            f"{partial} exists: an earlier backup stopped half-way; remove it."
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            writer = SealedWriter(handle, key)
            with tarfile.open(fileobj=writer, mode="w|") as archive:  # type: ignore[call-overload]
                body = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                archive.addfile(info, io.BytesIO(body))
                for name in manifest["parts"]:
                    info = archive.gettarinfo(str(staging / name), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with (staging / name).open("rb") as part:
                        archive.addfile(info, part)
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


@contextlib.contextmanager
def _opened(source: Path, key: BackupKey) -> Iterator[tuple[SealedReader, tarfile.TarFile]]:
    try:
        handle = source.open("rb")
    except OSError as exc:
        raise UsageProblem(f"Cannot read {source}: {exc.strerror}.") from exc
    with handle:
        try:
            reader = SealedReader(handle, key)
            with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
                yield reader, archive
        except SealedFileError as exc:
            raise BadBackup(str(exc)) from exc
        except (tarfile.TarError, EOFError, UnicodeDecodeError) as exc:
            raise BadBackup(f"The backup's contents are damaged: {exc}.") from exc


def _read_manifest(archive: tarfile.TarFile, member: tarfile.TarInfo | None) -> dict[str, Any]:
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BadBackup("The backup has no manifest first: it was not made by Remedy.")
    handle = archive.extractfile(member)
    assert handle is not None
    try:
        manifest = json.loads(handle.read())
    except ValueError as exc:
        raise BadBackup("The backup's manifest is not readable JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BadBackup("The backup's manifest is not a Remedy backup manifest.")
    if manifest.get("format_version") != MANIFEST_VERSION:
        raise BadBackup(
            f"The backup's manifest has version {manifest.get('format_version')}; this "
            f"version of Remedy reads version {MANIFEST_VERSION}."
        )
    parts = manifest.get("parts")
    if not isinstance(parts, dict) or not all(_safe_name(str(name)) for name in parts):
        raise BadBackup("The backup's manifest lists parts it may not hold.")
    return manifest


def read_archive(source: Path, key: BackupKey, staging: Path) -> dict[str, Any]:
    """Open a backup into ``staging``: every part extracted and checked against the manifest
    (size and SHA-256), the whole file authenticated to its last byte. Returns the manifest."""
    with _opened(source, key) as (reader, archive):
        members = iter(archive)
        manifest = _read_manifest(archive, next(members, None))
        parts: dict[str, Any] = manifest["parts"]
        seen: set[str] = set()
        for member in members:
            name = member.name
            if name not in parts or name in seen or not member.isfile():
                raise BadBackup(f"The backup holds {name!r}, which its manifest does not list.")
            seen.add(name)
            _extract(archive, member, staging / name, parts[name])
        missing = sorted(set(parts) - seen)
        if missing:
            raise BadBackup(f"The backup lacks parts its manifest lists: {', '.join(missing)}.")
        reader.finish()
    return manifest


def _extract(
    archive: tarfile.TarFile, member: tarfile.TarInfo, path: Path, expected: dict[str, Any]
) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle = archive.extractfile(member)
    assert handle is not None
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for block in iter(lambda: handle.read(READ_SIZE), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
    if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise BadBackup(f"The part {member.name} does not match its manifest (size or SHA-256).")
