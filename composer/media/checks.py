"""The `images` checks: what the sidebar, `humane check` and the publish gate say about the
attached images. Each is a guideline finding of category `images` over the whole post (or over
the `[images]` line, where there is one):

- images.alt-missing (error): an image without alt text is never sent. Readers who cannot see it,
  and their screen readers, depend on it; publishing stops and names the image.
- images.file (error): the file is gone, unreadable, too large, or not an image we can send.
- images.alt-file-name (warning): the alt text only repeats the file name.
- images.alt-image-of (warning): it starts with "image of" / "photo of": a screen reader already
  says it is an image; say what it shows.
- images.not-taken (error): a chosen account's platform takes no images.
- images.alt-too-long (error): longer than a chosen platform keeps.
- images.too-many (error): more than the thread's parts can carry on a chosen platform.

Only the two warnings (`ADVICE`) follow `[guidelines.rules]`: the errors say what would never be
sent, whatever the settings.

No Pillow here (nothing is decoded): checks run on every keystroke's analysis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from composer import registry
from composer.drafts.model import ImageRef
from composer.guidelines.model import Finding, Severity

from .files import inspect
from .plan import TooManyImages, marker_span, place

CATEGORY = "images"
ADVICE = frozenset({"images.alt-file-name", "images.alt-image-of"})
"""The rules `[guidelines.rules]` may switch off or weigh differently; the others always stand."""
_IMAGE_OF = re.compile(r"^\s*(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|pic|screenshot)\s+(?:of|showing)\b", re.I)
_WORDS = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    return _WORDS.sub(" ", text).strip().lower()


def repeats_file_name(alt: str, path: str) -> bool:
    """The alt text is the file's name (with or without its extension), as a camera names files too."""
    name = Path(path).name
    stem = name.rsplit(".", 1)[0]
    said = _plain(alt)
    return bool(said) and said in {_plain(name), _plain(stem)}


def findings(
    text: str,
    images: Sequence[ImageRef],
    draft_path: Path | None = None,
    *,
    platforms: Sequence[str] = (),
    parts: dict[str, list[str]] | None = None,
    files: bool = True,
) -> list[Finding]:
    """The findings about `images` attached to a post of `text`, for the chosen `platforms`.
    `parts[platform]` is the thread as it would be split there (with the `[images]` line kept),
    to tell whether the images fit; without it, one part. `files`: look at the files on disk."""
    if not images:
        return []
    span = marker_span(text)
    start, end = span if span else (0, len(text))
    if span:
        end = start + len(text[start:end].rstrip("\r\n"))
    out: list[Finding] = []

    def add(rule: str, severity: Severity, message: str) -> None:
        out.append(Finding(f"{CATEGORY}.{rule}", CATEGORY, severity, start, end, message))

    for n, ref in enumerate(images, 1):
        which = f"The image {ref.name}" if len(images) == 1 else f"Image {n} ({ref.name})"
        alt = ref.alt.strip()
        if not alt:
            add("alt-missing", "error",
                f"{which} has no alt text. Describe what it shows, for readers who cannot see it; "
                "it is not sent without.")
        elif repeats_file_name(alt, ref.path):
            add("alt-file-name", "warning",
                f"The alt text of {ref.name} only repeats its file name. Say what the image shows.")
        elif _IMAGE_OF.match(alt):
            add("alt-image-of", "warning",
                f"The alt text of {ref.name} starts with {alt.split()[0].lower()!r} …: screen readers already "
                "say it is an image. Start with what it shows.")
        if files:
            found = inspect(ref, draft_path)
            if not found.ok:
                add("file", "error", f"{which} cannot be sent: {found.problem}.")

    from composer.guidelines.length import graphemes

    for name in dict.fromkeys(platforms):
        entry = registry.find(name)
        if entry is None:
            continue
        media = entry.media
        if media is None:
            add("not-taken", "error",
                f"{entry.label} takes no images: remove them, or leave {entry.label} out of this post.")
            continue
        if media.alt_max is not None:
            for ref in images:
                length = graphemes(ref.alt.strip())
                if length > media.alt_max:
                    add("alt-too-long", "error",
                        f"The alt text of {ref.name} is {length} characters; {entry.label} keeps {media.alt_max}. "
                        "Shorten it, and put the rest in the post.")
        split = (parts or {}).get(name) or [text]
        if not entry.capabilities.threads:
            split = [text]
        try:
            place(split, len(images), media.max_images, entry.label)
        except TooManyImages as err:
            fix = (" Remove some, or place the [images] line earlier." if entry.capabilities.threads and len(split) > 1
                   else " Remove some" + (", or write more to make a thread." if entry.capabilities.threads else "."))
            add("too-many", "error", f"{err}{fix}")
    return out
