"""Which file an attached image names, and whether it can be sent: found, readable, an image of a
kind we can read, not absurdly large. Reads a few header bytes only (no Pillow)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from composer.drafts.model import Draft, ImageRef

MAX_FILE_BYTES = 60 * 1024 * 1024
"""A bigger file is refused: no platform takes it, and preparing it would hold too much memory."""

KINDS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
}


def sniff(head: bytes) -> str | None:
    """The MIME type of an image from its first bytes, or None when it is no kind we read."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _other_kind(head: bytes) -> str:
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "a HEIC photo (export it as JPEG first: most phones can, or `heif-convert`)"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "an AVIF image (export it as JPEG or PNG first)"
    return "not an image we can send (JPEG, PNG, GIF or WebP)"


@dataclass(frozen=True, slots=True)
class Attached:
    """An attached image as found on disk."""

    ref: ImageRef
    path: Path
    size: int | None = None
    """Bytes on disk; None when it could not be read."""
    mime: str | None = None
    problem: str = ""
    """Why it cannot be sent (not found, unreadable, not an image, too large); "" when it can."""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def name(self) -> str:
        return self.ref.name


def inspect(ref: ImageRef, draft_path: Path | None = None) -> Attached:
    """Look at the file `ref` names (relative to the draft file `draft_path`)."""
    path = ref.resolve(draft_path)
    try:
        st = os.stat(path)
        if not path.is_file():
            return Attached(ref, path, problem=f"{path} is not a file")
        with open(path, "rb") as f:
            head = f.read(32)
    except FileNotFoundError:
        return Attached(ref, path, problem=f"{path} does not exist (moved or renamed? attach it again)")
    except OSError as err:
        return Attached(ref, path, problem=f"{path} cannot be read: {err.strerror or err}")
    mime = sniff(head)
    if mime is None:
        return Attached(ref, path, st.st_size, problem=f"{path} is {_other_kind(head)}")
    if st.st_size > MAX_FILE_BYTES:
        return Attached(
            ref, path, st.st_size, mime,
            problem=f"{path} is {human_size(st.st_size)}; the largest file accepted is {human_size(MAX_FILE_BYTES)}",
        )
    return Attached(ref, path, st.st_size, mime)


def inspect_all(draft: Draft | Sequence[ImageRef], draft_path: Path | None = None) -> list[Attached]:
    if isinstance(draft, Draft):
        return [inspect(r, draft.path) for r in draft.images]
    return [inspect(r, draft_path) for r in draft]


def human_size(n: int) -> str:
    """`840 KB`, `3.2 MB`."""
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.0f} KB"
    return f"{n / 1_000_000:.1f} MB"
