"""What a file really is, read from its first bytes.

The type a browser or a provider claims is never trusted: web uploads, SMS and WhatsApp
media and consent evidence are all kept under the type their content shows, or refused.
"""

from __future__ import annotations

# (offset, bytes, content type)
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"#!AMR", "audio/amr"),
    (0, b"\x1a\x45\xdf\xa3", "audio/webm"),
)
# MP4 containers hold sound or pictures; the bytes alone do not say which.
MP4_TYPES = frozenset({"audio/mp4", "video/mp4"})


def sniff_type(content: bytes) -> str | None:
    """The content type the bytes themselves show, among the files Remedy keeps."""
    for offset, magic, kind in SIGNATURES:
        if content[offset : offset + len(magic)] == magic:
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:4] == b"RIFF" and content[8:12] == b"WAVE":
        return "audio/wav"
    if content[4:8] == b"ftyp" and content[8:11] in (b"M4A", b"mp4", b"iso", b"3gp"):
        return "audio/mp4"
    # MPEG audio frames without an ID3 tag: an 11-bit frame sync.
    if len(content) > 1 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    return None


def kept_type(claimed: str, content: bytes) -> str | None:
    """The type to keep a file under: what its bytes show (an MP4 container keeps the
    claimed sound or video); None when the bytes are no file Remedy keeps."""
    sniffed = sniff_type(content)
    if sniffed in MP4_TYPES and claimed in MP4_TYPES:
        return claimed
    return sniffed
